/** 24 hourly average latencies as a tiny line; gaps where nothing ran, dots for lone hours. */
export function Sparkline({ points, width = 112, height = 28 }: { points: (number | null)[]; width?: number; height?: number }) {
  const vals = points.filter((p): p is number => p !== null);
  if (vals.length === 0) return <span className="muted">—</span>;
  const max = Math.max(...vals, 1);
  const step = width / Math.max(1, points.length - 1);
  // Scaled from zero so small wobbles stay small; a lone value sits mid-height.
  const xy = (i: number, p: number): [number, number] => [i * step, vals.length === 1 ? height / 2 : height - 3 - (p / max) * (height - 6)];
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  points.forEach((p, i) => {
    if (p === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(xy(i, p));
  });
  if (run.length) runs.push(run);
  const d = (r: [number, number][]) => r.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
  const lastIndex = points.findLastIndex((p) => p !== null);
  const last = points[lastIndex]!;
  const [lx, ly] = xy(lastIndex, last);
  return (
    <span className="spark">
      <svg width={width} height={height} viewBox={`-2 0 ${width + 4} ${height}`} role="img" aria-label={`Hourly average latency over 24 hours; latest ${last} ms, peak ${max} ms`}>
        {runs.map((r, i) =>
          r.length === 1 ? (
            <circle key={i} cx={r[0]![0]} cy={r[0]![1]} r="1.5" fill="var(--accent)" />
          ) : (
            <g key={i}>
              <path d={`${d(r)}L${r.at(-1)![0].toFixed(1)},${height}L${r[0]![0].toFixed(1)},${height}Z`} fill="var(--accent)" opacity="0.1" />
              <path d={d(r)} fill="none" stroke="var(--accent)" strokeWidth="1.5" strokeLinejoin="round" />
            </g>
          ),
        )}
        <circle cx={lx} cy={ly} r="2.5" fill="var(--accent)" />
      </svg>
      <span className="spark-value">{last} ms</span>
    </span>
  );
}
