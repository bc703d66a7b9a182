import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { duration, RelativeTime } from "@/components/monitors/relative-time";
import { ResponseChart } from "@/components/monitors/response-chart";
import { StateBadge } from "@/components/monitors/state-badge";
import { targetOf } from "@/components/monitors/target";
import { UptimeBars } from "@/components/monitors/uptime-bars";
import { can } from "@/server/auth/permissions";
import { NotFound } from "@/server/errors";
import { listIncidents, recentFailures, recentResults } from "@/server/services/monitors/activity";
import { getMonitor } from "@/server/services/monitors/get";
import { dailyBars, getUptime, WINDOWS, type UptimeWindow } from "@/server/services/monitors/uptime";
import { requireCtx } from "@/web/session";
import { monitorOpAction } from "../actions";

export const metadata = { title: "Monitor" };

export default async function MonitorPage({ params }: PageProps<"/monitors/[id]">) {
  const ctx = await requireCtx();
  const { id } = await params;
  const monitor = await getMonitor({ ctx, monitorId: id }).catch((e) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
  const windows = Object.keys(WINDOWS) as UptimeWindow[];
  const [uptimes, bars, points, incidents, failures] = await Promise.all([
    Promise.all(windows.map((w) => getUptime({ ctx, monitorId: id, window: w }))),
    dailyBars({ ctx, monitorId: id }),
    recentResults({ ctx, monitorId: id, limit: 100 }),
    listIncidents({ ctx, monitorId: id, limit: 20 }),
    recentFailures({ ctx, monitorId: id, limit: 15 }),
  ]);
  const canEdit = can(ctx.org.role, "monitors:write");
  const now = Date.now();
  const certDays = monitor.certExpiresAt ? Math.floor((new Date(monitor.certExpiresAt).getTime() - now) / 86_400_000) : null;
  return (
    <>
      <AutoRefresh />
      <p className="small-text">
        <Link href="/monitors">← Monitors</Link>
      </p>
      <div className="page-head">
        <div>
          <div className="row">
            <StateBadge state={monitor.state} big />
            <h1 style={{ margin: 0 }}>{monitor.name}</h1>
          </div>
          <p className="mono">{targetOf(monitor)}</p>
          <p className="muted small-text">
            Every {monitor.intervalSeconds >= 60 ? `${monitor.intervalSeconds / 60} min` : `${monitor.intervalSeconds} s`} from {monitor.regions.join(", ")} · DOWN after{" "}
            {monitor.confirmations} failure{monitor.confirmations === 1 ? "" : "s"} · last check <RelativeTime iso={monitor.lastCheckedAt} now={now} /> · state since{" "}
            <RelativeTime iso={monitor.stateChangedAt} now={now} />
          </p>
        </div>
        {canEdit && (
          <div className="row">
            <form action={monitorOpAction}>
              <input type="hidden" name="monitorId" value={monitor.id} />
              <button className="btn secondary" name="op" value={monitor.paused ? "resume" : "pause"}>
                {monitor.paused ? "Resume" : "Pause"}
              </button>
            </form>
            <Link className="btn secondary" href={`/monitors/${monitor.id}/edit`}>
              Edit
            </Link>
            <details className="danger-zone">
              <summary className="btn secondary">Delete…</summary>
              <form action={monitorOpAction}>
                <input type="hidden" name="monitorId" value={monitor.id} />
                <button className="btn danger small" name="op" value="delete">
                  Delete {monitor.name} and its history
                </button>
              </form>
            </details>
          </div>
        )}
      </div>

      {monitor.type === "heartbeat" && monitor.heartbeatUrl && (
        <section className="card">
          <h2 className="card-title">Heartbeat URL</h2>
          <p>Call this URL from your job each time it finishes (GET or POST). Keep it secret: anyone with it can report success.</p>
          <pre className="code">
            <code>{monitor.heartbeatUrl}</code>
          </pre>
          <pre className="code">
            <code>{`curl -fsS --retry 3 ${monitor.heartbeatUrl}`}</code>
          </pre>
        </section>
      )}

      <section className="stats" aria-label="Uptime">
        {uptimes.map((u) => (
          <div key={u.window} className="card stat">
            <div className="muted small-text">{u.window} uptime</div>
            <div className="stat-value">{u.uptimePercent === null ? "—" : `${u.uptimePercent.toFixed(u.uptimePercent === 100 ? 0 : 3)}%`}</div>
            <div className="muted small-text mono">
              p50 {u.latency.p50 ?? "—"} · p95 {u.latency.p95 ?? "—"} · p99 {u.latency.p99 ?? "—"} ms
            </div>
          </div>
        ))}
        {certDays !== null && (
          <div className="card stat">
            <div className="muted small-text">Certificate</div>
            <div className="stat-value" style={{ color: certDays < 14 ? "var(--danger)" : undefined }}>
              {certDays} days
            </div>
            <div className="muted small-text mono">expires {monitor.certExpiresAt!.slice(0, 10)}</div>
          </div>
        )}
      </section>

      <section className="card">
        <h2 className="card-title">Response time</h2>
        <ResponseChart points={points} />
      </section>

      <section className="card">
        <h2 className="card-title">Last 90 days</h2>
        <UptimeBars bars={bars} />
      </section>

      <section className="card" data-testid="incidents">
        <h2 className="card-title">Incidents</h2>
        {incidents.length === 0 ? (
          <p className="muted">No incidents. Perigee opens one when the monitor is confirmed DOWN and closes it on recovery.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Cause</th>
                <th scope="col">Regions</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map(({ incident: i }) => (
                <tr key={i.id} data-testid="incident">
                  <td className="mono">{i.openedAt.toISOString().replace("T", " ").slice(0, 19)} UTC</td>
                  <td>{i.closedAt ? duration(i.durationSeconds) : <strong style={{ color: "var(--danger)" }}>ongoing · {duration(Math.round((now - i.openedAt.getTime()) / 1000))}</strong>}</td>
                  <td>
                    {i.causeErrorClass && <span className="badge">{i.causeErrorClass}</span>} {i.causeMessage}
                    {i.duringMaintenance && <span className="muted"> (maintenance — not alerted)</span>}
                  </td>
                  <td>{i.regionsDown.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card">
        <h2 className="card-title">Recent failed checks</h2>
        {failures.length === 0 ? (
          <p className="muted">No failed checks.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Region</th>
                <th scope="col">Error</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={f.id}>
                  <td className="mono">{f.scheduledAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td>{f.region}</td>
                  <td>
                    <span className="badge">{f.errorClass}</span>
                    {f.statusCode ? ` ${f.statusCode}` : ""}
                  </td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
