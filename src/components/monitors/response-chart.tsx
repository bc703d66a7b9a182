import type { ResultPoint } from "@/server/monitors/result-rows";

const PHASES = [
  ["dnsMs", "DNS", "#748ffc"],
  ["connectMs", "Connect", "#4dabf7"],
  ["tlsMs", "TLS", "#38d9a9"],
  ["ttfbMs", "Waiting (first byte)", "#ffa94d"],
] as const;
const DOWNLOAD = "#adb5bd";
const SLOTS = 100;
const NARROW_SLOTS = 40;

/** Smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `v`, so grid lines land on round numbers. */
function niceCeil(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((n) => n >= v)!;
}

function hhmm(iso: string, withDate: boolean): string {
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/**
 * Response time of the latest checks: one column per check, phases stacked (DNS, connect,
 * TLS, waiting, download) so a person sees where the time goes; failed checks in red.
 * Always 100 slots wide, newest on the right, so a young monitor fills in from the right.
 */
export function ResponseChart({ points }: { points: ResultPoint[] }) {
  const data = points.slice(0, SLOTS).reverse();
  if (data.length === 0) return <p className="muted">No checks yet. The first one runs within one interval of saving.</p>;
  const ok = data.filter((p) => p.outcome !== "down");
  const avg = ok.length ? Math.round(ok.reduce((s, p) => s + p.totalMs, 0) / ok.length) : null;
  const failed = data.length - ok.length;

  return (
    <figure className="chart">
      <p className="chart-summary muted small-text">
        Last {data.length} check{data.length === 1 ? "" : "s"}
        {avg !== null && <> · average {avg} ms</>}
        {failed > 0 && (
          <>
            {" · "}
            <span className="danger-text">{failed} failed</span>
          </>
        )}
      </p>
      {/* Phones get fewer, wider columns at a taller aspect, so the chart keeps a readable height. */}
      <Plot data={data} W={960} H={230} slots={SLOTS} axisClass="chart-axis" className="chart-wide" />
      <Plot data={data.slice(-NARROW_SLOTS)} W={420} H={280} slots={NARROW_SLOTS} axisClass="chart-axis chart-axis-narrow" className="chart-narrow" />
      <figcaption className="legend">
        {PHASES.map(([, name, color]) => (
          <span key={name}>
            <i style={{ background: color }} /> {name}
          </span>
        ))}
        <span>
          <i style={{ background: DOWNLOAD }} /> Download
        </span>
        <span>
          <i style={{ background: "var(--warn)" }} /> Degraded
        </span>
        <span>
          <i style={{ background: "var(--danger)" }} /> Failed
        </span>
        <span className="muted">Times in UTC</span>
      </figcaption>
      <details className="chart-table">
        <summary>Show these checks as a table</summary>
        <div className="table-scroll">
          <table className="table compact">
            <caption className="sr-only">Latest checks, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Region</th>
                <th scope="col">Result</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col" className="num">
                  DNS
                </th>
                <th scope="col" className="num">
                  Connect
                </th>
                <th scope="col" className="num">
                  TLS
                </th>
                <th scope="col" className="num">
                  First byte
                </th>
              </tr>
            </thead>
            <tbody>
              {[...data].reverse().map((p) => (
                <tr key={`${p.at}-${p.region}`}>
                  <td className="mono nowrap">{`${p.at.slice(0, 10)} ${p.at.slice(11, 19)}`}</td>
                  <td>{p.region}</td>
                  <td className={p.outcome === "down" ? "danger-text" : p.outcome === "degraded" ? "warn-text" : undefined}>
                    {p.outcome.toUpperCase()}
                    {p.statusCode ? ` · ${p.statusCode}` : ""}
                    {p.errorClass ? ` · ${p.errorClass}` : ""}
                  </td>
                  <td className="num">{p.totalMs} ms</td>
                  <td className="num">{p.dnsMs ?? "—"}</td>
                  <td className="num">{p.connectMs ?? "—"}</td>
                  <td className="num">{p.tlsMs ?? "—"}</td>
                  <td className="num">{p.ttfbMs ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** One stacked-column plot of `data` (oldest first) in a W×H viewBox with `slots` columns. */
function Plot({ data, W, H, slots, axisClass, className }: { data: ResultPoint[]; W: number; H: number; slots: number; axisClass: string; className: string }) {
  const pad = { l: 58, r: 10, t: 10, b: 30 };
  const plotH = H - pad.t - pad.b;
  const ok = data.filter((p) => p.outcome !== "down");
  // Scale to the successful checks: a 10 s timeout would flatten every normal column.
  const max = niceCeil(Math.max(10, ...ok.map((p) => p.totalMs)) * 1.05);
  const y = (ms: number) => pad.t + plotH - (Math.min(ms, max) / max) * plotH;
  const slot = (W - pad.l - pad.r) / slots;
  const x0 = pad.l + (slots - data.length) * slot;
  const spansDays = data[0]!.at.slice(0, 10) !== data.at(-1)!.at.slice(0, 10);
  const xAt = (i: number) => x0 + (i + 0.5) * slot;
  // First, middle and last check times, dropping any that would overlap a neighbour.
  const xLabels = [data.length - 1, 0, Math.floor((data.length - 1) / 2)].reduce<number[]>((kept, i) => (kept.every((k) => Math.abs(xAt(k) - xAt(i)) > 80) ? [...kept, i] : kept), []);
  return (
    <svg className={className} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Response time of the last ${data.length} checks, up to ${max} ms; the table below lists them`}>
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f}>
          <line x1={pad.l} x2={W - pad.r} y1={y(max * f)} y2={y(max * f)} stroke="var(--border)" strokeDasharray={f === 0 ? undefined : "3 4"} />
          {f % 0.5 === 0 && (
            <text x={pad.l - 8} y={y(max * f) + 4} textAnchor="end" className={axisClass}>
              {max * f >= 1000 ? `${(max * f) / 1000} s` : `${max * f} ms`}
            </text>
          )}
        </g>
      ))}
      {data.map((p, i) => {
        const x = x0 + i * slot + 0.6;
        const w = Math.max(1, slot - 1.2);
        const when = `${p.at.slice(0, 10)} ${p.at.slice(11, 19)} UTC · ${p.region}`;
        if (p.outcome === "down") {
          return (
            <g key={`${p.at}-${p.region}`} className="chart-col">
              <rect x={x} y={pad.t} width={w} height={plotH} fill="var(--danger)" opacity="0.16" />
              <rect x={x} y={y(0) - 4} width={w} height={4} fill="var(--danger)" />
              <title>{`${when}\nDOWN${p.statusCode ? ` · HTTP ${p.statusCode}` : ""}${p.errorClass ? ` · ${p.errorClass}` : ""} · ${p.totalMs} ms`}</title>
            </g>
          );
        }
        let acc = 0;
        const parts: { from: number; to: number; color: string }[] = PHASES.map(([k, , color]) => {
          const from = acc;
          acc += p[k] ?? 0;
          return { from, to: acc, color };
        });
        parts.push({ from: acc, to: Math.max(acc, p.totalMs), color: DOWNLOAD });
        const detail = PHASES.filter(([k]) => p[k] !== null)
          .map(([k, name]) => `${name} ${p[k]} ms`)
          .join(", ");
        return (
          <g key={`${p.at}-${p.region}`} className="chart-col">
            {parts.map((s, j) => (s.to > s.from ? <rect key={j} x={x} y={y(s.to)} width={w} height={Math.max(0.75, y(s.from) - y(s.to))} fill={s.color} /> : null))}
            {p.outcome === "degraded" && <rect x={x} y={y(0) + 2} width={w} height={3} fill="var(--warn)" />}
            {p.totalMs > max && <rect x={x} y={pad.t} width={w} height={2} fill="var(--text)" />}
            <title>{`${when}\n${p.outcome.toUpperCase()}${p.statusCode ? ` · HTTP ${p.statusCode}` : ""} · ${p.totalMs} ms${detail ? `\n${detail}` : ""}`}</title>
          </g>
        );
      })}
      {xLabels.map((i) => (
        <text
          key={i}
          x={i === data.length - 1 ? W - pad.r : Math.max(pad.l, xAt(i))}
          y={H - 8}
          className={axisClass}
          textAnchor={i === data.length - 1 ? "end" : xAt(i) - 30 < pad.l ? "start" : "middle"}
        >
          {hhmm(data[i]!.at, spansDays)}
        </text>
      ))}
    </svg>
  );
}
