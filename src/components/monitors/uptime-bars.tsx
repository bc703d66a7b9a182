type Bar = { day: string; checks: number; uptimePercent: number | null };

const SCALE = [
  ["up-100", "≥ 99.9%"],
  ["up-99", "≥ 99%"],
  ["up-95", "≥ 95%"],
  ["up-low", "< 95%"],
  ["up-none", "no data"],
] as const;

function level(u: number | null): (typeof SCALE)[number][0] {
  if (u === null) return "up-none";
  if (u >= 99.9) return "up-100";
  if (u >= 99) return "up-99";
  if (u >= 95) return "up-95";
  return "up-low";
}

/** Truncated, so a day with one failed check never reads 100.00%. */
const dayPct = (u: number) => (u >= 100 ? "100%" : `${(Math.floor(u * 100) / 100).toFixed(2)}%`);

/** One bar per UTC day for 90 days, from the daily rollups; hover a bar for its number. */
export function UptimeBars({ bars }: { bars: Bar[] }) {
  const withData = bars.filter((b) => b.uptimePercent !== null);
  const checks = bars.reduce((s, b) => s + b.checks, 0);
  const ok = bars.reduce((s, b) => s + (b.uptimePercent === null ? 0 : (b.uptimePercent / 100) * b.checks), 0);
  return (
    <div>
      <div
        className="uptime-bars"
        role="img"
        aria-label={`Daily uptime for the last ${bars.length} days; ${withData.length} days with checks${checks ? `, ${dayPct((ok / checks) * 100)} overall` : ""}`}
      >
        {bars.map((b) => (
          <span key={b.day} className={`bar ${level(b.uptimePercent)}`} title={`${b.day}: ${b.uptimePercent === null ? "no data" : `${dayPct(b.uptimePercent)} (${b.checks} checks)`}`} />
        ))}
      </div>
      <div className="bars-axis muted small-text">
        <span>{bars[0]?.day}</span>
        <span className="bars-legend" aria-hidden>
          {SCALE.map(([cls, text]) => (
            <span key={cls}>
              <i className={`bar ${cls}`} /> {text}
            </span>
          ))}
        </span>
        <span>today</span>
      </div>
    </div>
  );
}
