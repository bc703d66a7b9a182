import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { CopyButton } from "@/components/monitors/copy-button";
import { duration, RelativeTime } from "@/components/monitors/relative-time";
import { ResponseChart } from "@/components/monitors/response-chart";
import { StateBadge } from "@/components/monitors/state-badge";
import { every, pct, utc } from "@/components/monitors/target";
import { UptimeBars } from "@/components/monitors/uptime-bars";
import { can } from "@/server/auth/permissions";
import { labelOf, targetOf } from "@/server/monitors/kinds";
import { NotFound } from "@/server/errors";
import { listIncidents } from "@/server/services/monitors/list-incidents";
import { recentFailures } from "@/server/services/monitors/recent-failures";
import { recentResults } from "@/server/services/monitors/recent-results";
import { getMonitor } from "@/server/services/monitors/get";
import { dailyBars } from "@/server/services/monitors/daily-bars";
import { getUptime, WINDOWS, type UptimeWindow } from "@/server/services/monitors/uptime";
import { requireCtx } from "@/web/session";
import { MonitorOpForm } from "@/components/monitors/monitor-op-form";

const WINDOW_LABEL: Record<UptimeWindow, string> = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days" };

export async function generateMetadata({ params }: PageProps<"/monitors/[id]">) {
  const ctx = await requireCtx();
  const { id } = await params;
  const monitor = await getMonitor({ ctx, monitorId: id }).catch(() => null);
  return { title: monitor ? `${monitor.state} · ${monitor.name}` : "Monitor" };
}

export default async function MonitorPage({ params }: PageProps<"/monitors/[id]">) {
  const ctx = await requireCtx();
  const { id } = await params;
  // Unknown ids and other tenants' monitors both answer 404.
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
  const certWarn = certDays !== null && certDays <= (monitor.type === "ssl" ? (monitor.expiryThresholdDays ?? 14) : monitor.sslExpiryDays || 14);
  const heartbeat = monitor.type === "heartbeat";

  return (
    <>
      <AutoRefresh />
      <nav className="breadcrumb small-text" aria-label="Breadcrumb">
        <Link href="/monitors">Monitors</Link> <span aria-hidden>/</span> <span className="muted">{monitor.name}</span>
      </nav>
      <div className="page-head monitor-head">
        <div className="monitor-title">
          <div className="row">
            <StateBadge state={monitor.state} big />
            <h1>{monitor.name}</h1>
          </div>
          <p className="monitor-target">
            <span className="type-tag">{labelOf(monitor.type)}</span> {!heartbeat && <span className="mono">{targetOf(monitor.type, monitor)}</span>}
          </p>
          <p className="monitor-meta small-text">
            {heartbeat ? (
              <>
                Expects a ping every {every(monitor.intervalSeconds)} (+{monitor.heartbeatGraceSeconds ?? 0} s grace) · last ping <RelativeTime iso={monitor.lastCheckedAt} now={now} />
              </>
            ) : (
              <>
                Checked every {every(monitor.intervalSeconds)} from {monitor.regions.join(", ")} · DOWN after {monitor.confirmations} failed check{monitor.confirmations === 1 ? "" : "s"} · last check{" "}
                <RelativeTime iso={monitor.lastCheckedAt} now={now} />
              </>
            )}{" "}
            · {monitor.state} since <RelativeTime iso={monitor.stateChangedAt} now={now} />
            {certDays !== null && (
              <>
                {" · "}
                <span className={certWarn ? "danger-text" : undefined}>
                  certificate expires in {certDays} day{certDays === 1 ? "" : "s"} ({monitor.certExpiresAt!.slice(0, 10)})
                </span>
              </>
            )}
          </p>
        </div>
        {canEdit && (
          <div className="row head-actions">
            <MonitorOpForm monitorId={monitor.id} op={monitor.paused ? "resume" : "pause"} label={monitor.paused ? "Resume" : "Pause"} className="btn secondary" />
            <Link className="btn secondary" href={`/monitors/${monitor.id}/edit`}>
              Edit
            </Link>
            <details className="danger-zone">
              <summary className="btn secondary danger-text">Delete…</summary>
              <MonitorOpForm monitorId={monitor.id} op="delete" label="Delete monitor" className="btn danger small">
                <p>
                  Delete <strong>{monitor.name}</strong> with its check history and incidents? This cannot be undone.
                </p>
              </MonitorOpForm>
            </details>
          </div>
        )}
      </div>

      {monitor.paused && <p className="notice">This monitor is paused: no checks run and no alerts are sent until it is resumed.</p>}

      {heartbeat && !monitor.heartbeatUrl && <p className="notice">This heartbeat monitor&apos;s URL is shown to editors and admins only: whoever holds it can report success.</p>}

      {heartbeat && monitor.heartbeatUrl && (
        <section className="card" aria-labelledby="hb-title">
          <h2 className="card-title" id="hb-title">
            Heartbeat URL
          </h2>
          <p className="muted">
            Request this URL (GET or POST) each time your job finishes. If no ping arrives within {every(monitor.intervalSeconds)} plus {monitor.heartbeatGraceSeconds ?? 0} s, the monitor goes DOWN.
            Keep it secret: anyone with it can report success.
          </p>
          <div className="copy-row">
            <code className="code copyable">{monitor.heartbeatUrl}</code>
            <CopyButton text={monitor.heartbeatUrl} label="Copy URL" />
          </div>
          <p className="small-text muted">For example, at the end of a cron job:</p>
          <div className="copy-row">
            <code className="code copyable">{`curl -fsS --retry 3 ${monitor.heartbeatUrl}`}</code>
            <CopyButton text={`curl -fsS --retry 3 ${monitor.heartbeatUrl}`} />
          </div>
        </section>
      )}

      <section className="stats" aria-label="Uptime and latency">
        {uptimes.map((u) => (
          <div key={u.window} className="card stat">
            <div className="stat-label">{WINDOW_LABEL[u.window]}</div>
            <div className={`stat-value${u.uptimePercent !== null && u.uptimePercent < 99 ? " danger-text" : ""}`}>{pct(u.uptimePercent)}</div>
            <div className="stat-sub">{u.checks ? `${u.checks.toLocaleString("en-US")} checks` : "no checks yet"}</div>
            {!heartbeat && (
              <dl className="percentiles">
                {(["p50", "p95", "p99"] as const).map((k) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{u.latency[k] === null ? "—" : `${u.latency[k]} ms`}</dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        ))}
      </section>

      {!heartbeat && (
        <section className="card" aria-labelledby="rt-title">
          <h2 className="card-title" id="rt-title">
            Response time
          </h2>
          <ResponseChart points={points} />
        </section>
      )}

      <section className="card" aria-labelledby="bars-title">
        <h2 className="card-title" id="bars-title">
          Uptime, last 90 days
        </h2>
        <UptimeBars bars={bars} />
      </section>

      <section className="card" data-testid="incidents" aria-labelledby="inc-title">
        <h2 className="card-title" id="inc-title">
          Incidents
        </h2>
        {incidents.length === 0 ? (
          <p className="muted">No incidents. Perigee opens one when the monitor is confirmed DOWN and closes it when it recovers.</p>
        ) : (
          <div className="table-scroll">
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">Opened</th>
                  <th scope="col">Closed</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Cause</th>
                </tr>
              </thead>
              <tbody>
                {incidents.map(({ incident: i }) => (
                  <tr key={i.id} data-testid="incident" className={i.closedAt ? undefined : "row-down"}>
                    <td className="mono nowrap" data-label="Opened">
                      <Link href={`/incidents/${i.id}`}>{utc(i.openedAt)}</Link>
                    </td>
                    <td className="nowrap" data-label="Closed">
                      {i.closedAt ? <span className="mono">{utc(i.closedAt)}</span> : <span className="pill pill-danger">ongoing</span>}
                    </td>
                    <td className="num nowrap" data-label="Duration">
                      {i.closedAt ? duration(i.durationSeconds) : `${duration(Math.round((now - i.openedAt.getTime()) / 1000))} so far`}
                    </td>
                    <td data-label="Cause">
                      {i.causeErrorClass && <span className="badge">{i.causeErrorClass}</span>} {i.causeStatusCode ? <span className="mono">HTTP {i.causeStatusCode} </span> : null}
                      {i.causeMessage}
                      {i.regionsDown.length > 0 && <span className="muted"> · {i.regionsDown.join(", ")}</span>}
                      {i.duringMaintenance && <span className="muted"> · during maintenance, not alerted</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="fail-title">
        <h2 className="card-title" id="fail-title">
          Recent failed checks
        </h2>
        {failures.length === 0 ? (
          <p className="muted">No failed checks recently.</p>
        ) : (
          <div className="table-scroll">
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Region</th>
                  <th scope="col">Error</th>
                  <th scope="col" className="num">
                    Status
                  </th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {failures.map((f) => (
                  <tr key={f.id}>
                    <td className="mono nowrap" data-label="Time">
                      {utc(f.scheduledAt, true)}
                    </td>
                    <td data-label="Region">{f.region}</td>
                    <td data-label="Error">
                      <span className="badge">{f.errorClass}</span>
                    </td>
                    <td className="num" data-label="Status">
                      {f.statusCode ?? "—"}
                    </td>
                    <td className="failure-message" data-label="Message">
                      {f.message ?? <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
