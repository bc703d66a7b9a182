/** 30 → "30 s", 300 → "5 min", 86400 → "24 h". */
export function every(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600 || seconds % 3600 !== 0) return `${Math.round(seconds / 60)} min`;
  return `${seconds / 3600} h`;
}

/**
 * Uptime as a percentage, truncated rather than rounded so that 99.996% never reads as
 * 100% while checks have failed.
 */
export function pct(u: number | null): string {
  if (u === null) return "—";
  if (u >= 100) return "100%";
  return `${(Math.floor(u * 100) / 100).toFixed(2)}%`;
}

/** "2026-11-22 18:14 UTC": server-rendered, so the same for every viewer and for hydration. */
export function utc(d: Date | string, seconds = false): string {
  const iso = typeof d === "string" ? d : d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)} UTC`;
}
