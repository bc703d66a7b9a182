import type { CheckResult } from "@/server/checks/types";

const PHASES = [
  ["dnsMs", "DNS"],
  ["connectMs", "Connect"],
  ["tlsMs", "TLS"],
  ["ttfbMs", "First byte"],
  ["totalMs", "Total"],
] as const;

export function TestResult({ result }: { result: CheckResult }) {
  const label = result.outcome === "up" ? "UP" : result.outcome === "degraded" ? "DEGRADED" : "DOWN";
  return (
    <div className={`card test-result test-${result.outcome}`} data-testid="test-result" role="status">
      <div className="row">
        <strong className={`state state-${label.toLowerCase()}`}>
          <span className="state-dot" aria-hidden />
          {label}
        </strong>
        {result.statusCode !== undefined && <span className="mono">HTTP {result.statusCode}</span>}
        {result.errorClass && <span className="badge">{result.errorClass}</span>}
      </div>
      {result.message && <p style={{ marginTop: "0.5rem" }}>{result.message}</p>}
      <dl className="phases">
        {PHASES.filter(([k]) => result.timings[k] !== undefined).map(([k, name]) => (
          <div key={k}>
            <dt className="muted">{name}</dt>
            <dd className="mono">{result.timings[k]} ms</dd>
          </div>
        ))}
        {result.certificate && (
          <div>
            <dt className="muted">Certificate</dt>
            <dd className="mono">
              expires in {result.certificate.daysRemaining} days ({result.certificate.validTo.slice(0, 10)})
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
