type Bar = { day: string; checks: number; uptimePercent: number | null };

function color(u: number | null): string {
  if (u === null) return "var(--border)";
  if (u >= 99.9) return "#2b8a3e";
  if (u >= 99) return "#69db7c";
  if (u >= 95) return "#fab005";
  return "#e03131";
}

/** One bar per day for 90 days, from the daily rollups. */
export function UptimeBars({ bars }: { bars: Bar[] }) {
  return (
    <div>
      <div className="uptime-bars" role="img" aria-label="Daily uptime for the last 90 days">
        {bars.map((b) => (
          <span key={b.day} className="bar" style={{ background: color(b.uptimePercent) }} title={`${b.day}: ${b.uptimePercent === null ? "no data" : `${b.uptimePercent.toFixed(2)}%`}`} />
        ))}
      </div>
      <div className="row muted small-text" style={{ justifyContent: "space-between" }}>
        <span>{bars[0]?.day}</span>
        <span>today</span>
      </div>
    </div>
  );
}
