import Link from "next/link";
import { notFound } from "next/navigation";
import { AcknowledgeForm, NoteForm } from "@/components/incidents/incident-forms";
import { duration } from "@/components/monitors/relative-time";
import { utc } from "@/components/monitors/target";
import { can } from "@/server/auth/permissions";
import { NotFound } from "@/server/errors";
import { getIncidentTimeline, type TimelineEntry } from "@/server/services/incidents/get-incident-timeline";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Incident" };

export default async function IncidentPage({ params }: PageProps<"/incidents/[id]">) {
  const ctx = await requireCtx();
  const { id } = await params;
  const t = await getIncidentTimeline({ ctx, incidentId: id }).catch((e) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
  const { incident } = t;
  const canWrite = can(ctx.org.role, "incidents:write");
  const state = incident.closedAt ? "Resolved" : incident.acknowledgedAt ? "Acknowledged" : "Open";
  return (
    <>
      <nav className="breadcrumb small-text" aria-label="Breadcrumb">
        <Link href="/incidents">Incidents</Link> <span aria-hidden>/</span> <span className="muted">{t.monitor?.name ?? "Monitor"}</span>
      </nav>
      <div className="page-head">
        <div className="monitor-title">
          <h1>{t.monitor ? `${t.monitor.name} down` : "Monitor incident"}</h1>
          <p className="monitor-meta small-text">
            <span className={`state ${incident.closedAt ? "state-up" : incident.acknowledgedAt ? "state-degraded" : "state-down"}`} data-testid="incident-state">
              <span className="state-dot" aria-hidden />
              {state}
            </span>{" "}
            opened {utc(incident.openedAt)}
            {incident.closedAt && <> · lasted {duration(incident.durationSeconds)}</>}
            {t.acknowledgedBy && incident.acknowledgedAt && (
              <>
                {" "}
                · acknowledged by <strong>{t.acknowledgedBy}</strong> at {utc(incident.acknowledgedAt)}
              </>
            )}
            {t.monitor && (
              <>
                {" "}
                · <Link href={`/monitors/${t.monitor.id}`}>monitor</Link>
              </>
            )}
          </p>
        </div>
        {canWrite && !incident.closedAt && !incident.acknowledgedAt && <AcknowledgeForm incidentId={incident.id} />}
      </div>

      {t.statusIncidents.length > 0 && (
        <section className="card" aria-labelledby="linked-title">
          <h2 className="card-title" id="linked-title">
            On status pages
          </h2>
          <ul className="plain-list">
            {t.statusIncidents.map((s) => (
              <li key={s.id}>
                <Link href={`/status-pages/${s.pageId}/incidents#incident-${s.id}`}>{s.title}</Link> <span className="muted small-text">on {s.pageName}</span>{" "}
                <span className="badge">{s.published ? s.status : "draft"}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="tl-title">
        <h2 className="card-title" id="tl-title">
          Timeline
        </h2>
        <ol className="timeline" data-testid="timeline">
          {t.entries.map((e, n) => (
            <li key={n} className={`timeline-item timeline-${e.kind}`}>
              <time className="mono small-text muted" dateTime={e.at.toISOString()}>
                {utc(e.at, true)}
              </time>
              <div>
                <Entry e={e} />
              </div>
            </li>
          ))}
        </ol>
      </section>

      {canWrite && (
        <section className="card" aria-labelledby="note-title">
          <h2 className="card-title" id="note-title">
            Add a note
          </h2>
          <NoteForm incidentId={incident.id} />
        </section>
      )}
    </>
  );
}

function Entry({ e }: { e: TimelineEntry }) {
  switch (e.kind) {
    case "opened":
      return (
        <>
          <strong>Opened</strong>: the monitor was confirmed DOWN{e.cause ? ` (${e.cause})` : ""}.
        </>
      );
    case "regions_down":
      return <>Down in {e.regions.join(", ")}.</>;
    case "acknowledged":
      return (
        <>
          <strong>Acknowledged</strong> by {e.by}.
        </>
      );
    case "note":
      return (
        <>
          <strong>Note</strong> by {e.by}:<p className="note-body">{e.body}</p>
        </>
      );
    case "status_incident":
      return (
        <>
          Status-page incident <Link href={`/status-pages/${e.pageId}/incidents#incident-${e.statusIncidentId}`}>{e.title}</Link> prepared on {e.pageName}
          {e.published ? "." : " (a draft, not yet published)."}
        </>
      );
    case "status_published":
      return <>Published on {e.pageName}.</>;
    case "status_update":
      return (
        <>
          <strong>Update on {e.pageName}</strong> ({e.status}){e.by ? ` by ${e.by}` : ""}:<p className="note-body">{e.body}</p>
        </>
      );
    case "closed":
      return (
        <>
          <strong>Closed</strong>: the monitor recovered{e.durationSeconds !== null ? ` after ${duration(e.durationSeconds)}` : ""}.
        </>
      );
  }
}
