import type { CheckResult } from "@/server/checks/types";

const PHASES = [
  ["dnsMs", "DNS", "#748ffc"],
  ["connectMs", "Connect", "#4dabf7"],
  ["tlsMs", "TLS", "#38d9a9"],
  ["ttfbMs", "First byte", "#ffa94d"],
] as const;

/** The outcome of "Test now": what a saved monitor would have recorded for this check. */
export function TestResult({ result }: { result: CheckResult }) {
  const label = result.outcome.toUpperCase();
  const t = result.timings;
  const phases = PHASES.filter(([k]) => t[k] !== undefined);
  const download = Math.max(0, t.totalMs - phases.reduce((s, [k]) => s + (t[k] ?? 0), 0));
  const total = Math.max(1, t.totalMs);
  return (
    <section className={`card test-result test-${result.outcome}`} data-testid="test-result" role="status" aria-label="Test result">
      <div className="test-head">
        <span className={`state state-big state-${result.outcome}`}>
          <span className="state-dot" aria-hidden />
          {label}
        </span>
        {result.statusCode !== undefined && <span className="mono">HTTP {result.statusCode}</span>}
        {result.errorClass && <span className="badge">{result.errorClass}</span>}
        <span className="muted small-text">{t.totalMs} ms total · not saved</span>
      </div>
      {result.message && <p className="test-message">{result.message}</p>}
      {phases.length > 0 && (
        <div className="phase-bar" aria-hidden>
          {phases.map(([k, name, color]) => (
            <span key={k} title={`${name} ${t[k]} ms`} style={{ width: `${((t[k] ?? 0) / total) * 100}%`, background: color }} />
          ))}
          <span title={`Download ${download} ms`} style={{ width: `${(download / total) * 100}%`, background: "#adb5bd" }} />
        </div>
      )}
      <dl className="phases">
        {phases.map(([k, name, color]) => (
          <div key={k}>
            <dt>
              <i style={{ background: color }} aria-hidden /> {name}
            </dt>
            <dd>{t[k]} ms</dd>
          </div>
        ))}
        <div>
          <dt>Total</dt>
          <dd>{t.totalMs} ms</dd>
        </div>
        {result.certificate && (
          <div>
            <dt>Certificate</dt>
            <dd className={result.certificate.authorized ? undefined : "danger-text"}>
              expires in {result.certificate.daysRemaining} days ({result.certificate.validTo.slice(0, 10)})
              {!result.certificate.authorized && result.certificate.authorizationError ? ` · ${result.certificate.authorizationError}` : ""}
            </dd>
          </div>
        )}
        {result.remoteAddress && (
          <div>
            <dt>Connected to</dt>
            <dd>{result.remoteAddress}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
