import Link from "next/link";
import { AcknowledgeForm } from "@/components/incidents/incident-forms";
import { duration, RelativeTime } from "@/components/monitors/relative-time";
import { utc } from "@/components/monitors/target";
import { can } from "@/server/auth/permissions";
import { INCIDENT_FILTERS, listOrgIncidents, type OrgIncident } from "@/server/services/incidents/list-org-incidents";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Incidents" };

const FILTER_LABEL = { all: "All", open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" } as const;
const STATE_CLASS = { open: "state state-down", acknowledged: "state state-degraded", resolved: "state state-up" } as const;

export default async function IncidentsPage({ searchParams }: PageProps<"/incidents">) {
  const ctx = await requireCtx();
  const q = (await searchParams).state;
  const filter = INCIDENT_FILTERS.find((f) => f === q) ?? "all";
  const items = await listOrgIncidents({ ctx, input: { state: filter } });
  const canAck = can(ctx.org.role, "incidents:write");
  const now = Date.now();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Incidents</h1>
          <p>Every monitor&apos;s downtime and every status-page incident of this organization, newest first.</p>
        </div>
      </div>
      <nav className="chips toolbar" aria-label="Filter incidents">
        {INCIDENT_FILTERS.map((f) => (
          <Link key={f} className="chip" href={f === "all" ? "/incidents" : `/incidents?state=${f}`} aria-current={f === filter ? "page" : undefined}>
            {FILTER_LABEL[f]}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <section className="empty" aria-labelledby="no-incidents">
          <h2 id="no-incidents">{filter === "all" ? "No incidents yet" : `No ${FILTER_LABEL[filter].toLowerCase()} incidents`}</h2>
          <p>Perigee opens an incident when a monitor is confirmed DOWN; incidents you post on a status page appear here too.</p>
        </section>
      ) : (
        <section className="card table-card" aria-label="Incidents">
          <table className="table stack incidents-table" data-testid="org-incidents">
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Incident</th>
                <th scope="col">Opened</th>
                <th scope="col">Duration</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <IncidentRow key={`${i.kind}-${i.id}`} i={i} now={now} canAck={canAck} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function IncidentRow({ i, now, canAck }: { i: OrgIncident; now: number; canAck: boolean }) {
  const open = i.closedAt === null;
  const seconds = Math.round(((i.closedAt ?? new Date(now)).getTime() - i.openedAt.getTime()) / 1000);
  return (
    <tr data-testid="org-incident" data-kind={i.kind} data-state={i.state} className={i.state === "open" ? "row-down" : undefined}>
      <td data-label="State">
        <span className={STATE_CLASS[i.state]}>
          <span className="state-dot" aria-hidden />
          {FILTER_LABEL[i.state]}
        </span>
      </td>
      <td data-label="Incident">
        {i.kind === "monitor" ? (
          <>
            <Link href={`/incidents/${i.id}`} className="monitor-name">
              {i.monitorName} down
            </Link>
            <div className="small-text muted">
              <span className="type-tag">Monitor</span> {i.cause ?? "no cause recorded"}
              {i.regionsDown.length > 0 && <> · {i.regionsDown.join(", ")}</>}
            </div>
            {i.acknowledgedAt && (
              <div className="small-text">
                Acknowledged by {i.acknowledgedBy} <RelativeTime iso={i.acknowledgedAt.toISOString()} now={now} />
              </div>
            )}
          </>
        ) : (
          <>
            <Link href={`/status-pages/${i.pageId}/incidents#incident-${i.id}`} className="monitor-name">
              {i.title}
            </Link>
            <div className="small-text muted">
              <span className="type-tag">Status page</span> {i.pageName} · {i.published ? i.status : "draft, not published"} · impact {i.impact}
              {i.monitorIncidentId && (
                <>
                  {" · "}
                  <Link href={`/incidents/${i.monitorIncidentId}`}>monitor incident</Link>
                </>
              )}
            </div>
          </>
        )}
      </td>
      <td data-label="Opened" className="nowrap mono small-text">
        {utc(i.openedAt)}
      </td>
      <td data-label="Duration" className="nowrap">
        {open ? `${duration(seconds)} so far` : duration(seconds)}
      </td>
      <td>{canAck && i.kind === "monitor" && i.state === "open" && <AcknowledgeForm incidentId={i.id} small />}</td>
    </tr>
  );
}
