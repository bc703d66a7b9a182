/** 24 hourly average latencies as a tiny line; gaps where nothing ran. */
export function Sparkline({ points, width = 120, height = 28 }: { points: (number | null)[]; width?: number; height?: number }) {
  const vals = points.filter((p): p is number => p !== null);
  if (vals.length === 0) return <span className="muted">—</span>;
  const max = Math.max(...vals, 1);
  const step = width / Math.max(1, points.length - 1);
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - 2 - (p / max) * (height - 4)).toFixed(1);
    current += `${current ? "L" : "M"}${x},${y} `;
  });
  if (current) segments.push(current);
  const last = vals.at(-1)!;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Latency over 24 hours, latest ${last} ms`}>
      {segments.map((d, i) => (
        <path key={i} d={d} fill="none" stroke="var(--accent)" strokeWidth="1.5" />
      ))}
    </svg>
  );
}
