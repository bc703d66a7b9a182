import type { ResultPoint } from "@/server/services/monitors/activity";

const PHASES = [
  ["dnsMs", "DNS", "#748ffc"],
  ["connectMs", "Connect", "#4dabf7"],
  ["tlsMs", "TLS", "#38d9a9"],
  ["ttfbMs", "Waiting", "#ffa94d"],
] as const;

/** Response time of the latest checks, phases stacked so a person sees where time goes. */
export function ResponseChart({ points }: { points: ResultPoint[] }) {
  const data = [...points].reverse();
  if (data.length === 0) return <p className="muted">No checks yet. The first one runs within one interval.</p>;
  const W = 900;
  const H = 200;
  const pad = { l: 44, b: 22, t: 8, r: 8 };
  const max = Math.max(10, ...data.map((p) => p.totalMs));
  const niceMax = Math.pow(10, Math.ceil(Math.log10(max))) / (max < Math.pow(10, Math.ceil(Math.log10(max))) / 2 ? 2 : 1);
  const y = (ms: number) => H - pad.b - (Math.min(ms, niceMax) / niceMax) * (H - pad.b - pad.t);
  const bw = (W - pad.l - pad.r) / data.length;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Response time of the last ${data.length} checks`} preserveAspectRatio="none" style={{ width: "100%", height: 200 }}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.l} x2={W - pad.r} y1={y(niceMax * f)} y2={y(niceMax * f)} stroke="var(--border)" />
            <text x={pad.l - 6} y={y(niceMax * f) + 4} textAnchor="end" fontSize="11" fill="var(--muted)">
              {Math.round(niceMax * f)} ms
            </text>
          </g>
        ))}
        {data.map((p, i) => {
          const x = pad.l + i * bw;
          if (p.outcome === "down") {
            return (
              <rect key={p.at + p.region} x={x + 0.5} y={pad.t} width={Math.max(1, bw - 1)} height={H - pad.b - pad.t} fill="var(--danger)" opacity="0.25">
                <title>{`${p.at.slice(11, 19)} DOWN ${p.errorClass ?? ""}`}</title>
              </rect>
            );
          }
          let acc = 0;
          const parts: { from: number; to: number; color: string }[] = PHASES.map(([k, , color]) => {
            const v = p[k] ?? 0;
            const seg = { from: acc, to: acc + v, color };
            acc += v;
            return seg;
          });
          parts.push({ from: acc, to: Math.max(acc, p.totalMs), color: "#adb5bd" });
          return (
            <g key={p.at + p.region}>
              {parts.map((s, j) =>
                s.to > s.from ? <rect key={j} x={x + 0.5} y={y(s.to)} width={Math.max(1, bw - 1)} height={Math.max(0.5, y(s.from) - y(s.to))} fill={s.color} /> : null,
              )}
              <title>{`${p.at.slice(11, 19)} ${p.totalMs} ms (${p.region})`}</title>
            </g>
          );
        })}
        <text x={pad.l} y={H - 6} fontSize="11" fill="var(--muted)">
          {data[0]!.at.slice(11, 16)} UTC
        </text>
        <text x={W - pad.r} y={H - 6} fontSize="11" fill="var(--muted)" textAnchor="end">
          {data.at(-1)!.at.slice(11, 16)} UTC
        </text>
      </svg>
      <figcaption className="legend">
        {PHASES.map(([, name, color]) => (
          <span key={name}>
            <i style={{ background: color }} /> {name}
          </span>
        ))}
        <span>
          <i style={{ background: "#adb5bd" }} /> Download
        </span>
        <span>
          <i style={{ background: "var(--danger)", opacity: 0.4 }} /> Failed
        </span>
      </figcaption>
      <details>
        <summary>Table of these checks</summary>
        <table className="table">
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
            {points.slice(0, 50).map((p) => (
              <tr key={p.at + p.region}>
                <td className="mono">{p.at.replace("T", " ").slice(0, 19)}</td>
                <td>{p.region}</td>
                <td>
                  {p.outcome.toUpperCase()}
                  {p.statusCode ? ` ${p.statusCode}` : ""}
                  {p.errorClass ? ` (${p.errorClass})` : ""}
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
      </details>
    </figure>
  );
}
