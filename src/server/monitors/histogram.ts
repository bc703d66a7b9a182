/**
 * Latency histogram with geometric buckets: bucket 0 holds [0, 1) ms and bucket i ≥ 1 holds
 * [G^(i-1), G^i) ms with G = 1.2, so a percentile read from it is within ±10% of the exact
 * value (we report the bucket's geometric midpoint). 60 s lands in bucket 62. Arrays are
 * trimmed after the highest non-zero bucket, so typical rows stay small, and they add
 * element-wise (perigee_hist_add in SQL), which is what lets hourly rows merge into any window.
 */
export const GROWTH = 1.2;
const LOG_G = Math.log(GROWTH);
export const MAX_BUCKET = 70;

export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(MAX_BUCKET, Math.floor(Math.log(ms) / LOG_G) + 1);
}

/** Representative value of a bucket: geometric midpoint of its bounds. */
export function bucketValue(i: number): number {
  if (i <= 0) return 0.5;
  const lo = Math.pow(GROWTH, i - 1);
  return lo * Math.sqrt(GROWTH);
}

export function addSample(hist: number[], ms: number): void {
  const b = bucketOf(ms);
  while (hist.length <= b) hist.push(0);
  hist[b]! += 1;
}

export function merge(a: number[], b: number[]): number[] {
  const out = new Array(Math.max(a.length, b.length)).fill(0);
  for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return out;
}

/** q in (0, 1]. Returns null for an empty histogram. */
export function percentile(hist: number[], q: number): number | null {
  const total = hist.reduce((s, c) => s + c, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return Math.round(bucketValue(i));
  }
  return Math.round(bucketValue(hist.length - 1));
}
