import Link from "next/link";
import { notFound } from "next/navigation";
import { utc } from "@/components/monitors/target";
import { NewStatusIncidentForm, PostUpdateForm, PublishButton } from "@/components/status-pages/incident-forms";
import { COMPONENT_STATUS_LABEL, IMPACT_LABEL, INCIDENT_STATUS_LABEL } from "@/components/status-pages/labels";
import { StatusPageNav } from "@/components/status-pages/page-nav";
import { can } from "@/server/auth/permissions";
import { NotFound } from "@/server/errors";
import { listStatusIncidents } from "@/server/services/status-incidents/list";
import type { StatusIncidentView } from "@/server/services/status-incidents/view";
import { getStatusPage } from "@/server/services/status-pages/get";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Status page incidents" };

export default async function StatusPageIncidents({ params }: PageProps<"/status-pages/[id]/incidents">) {
  const ctx = await requireCtx();
  const { id } = await params;
  const page = await getStatusPage({ ctx, pageId: id }).catch((e) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
  const [drafts, open, resolved] = await Promise.all([
    listStatusIncidents({ ctx, pageId: page.id, filter: "draft" }),
    listStatusIncidents({ ctx, pageId: page.id, filter: "open" }),
    listStatusIncidents({ ctx, pageId: page.id, filter: "resolved", limit: 20 }),
  ]);
  const canEdit = can(ctx.org.role, "status-pages:write");
  const components = page.components.map((c) => ({ id: c.id, name: c.name }));
  return (
    <>
      <nav className="breadcrumb small-text" aria-label="Breadcrumb">
        <Link href="/status-pages">Status pages</Link> <span aria-hidden>/</span> <Link href={`/status-pages/${page.id}`}>{page.name}</Link> <span aria-hidden>/</span>{" "}
        <span className="muted">Incidents</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Incidents on {page.name}</h1>
          <p>Drafts wait for one click; open incidents take updates until one says Resolved.</p>
        </div>
      </div>
      <StatusPageNav pageId={page.id} slug={page.slug} current="incidents" />

      {drafts.length > 0 && (
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title">Drafts to publish</h2>
          {drafts.map((i) => (
            <article key={i.id} id={`incident-${i.id}`} className="card incident-card draft" data-testid="draft-incident">
              <IncidentHead i={i} />
              <p className="small-text muted">
                Prepared {utc(i.createdAt)}
                {i.monitorIncidentId && (
                  <>
                    {" "}
                    from a <Link href={`/incidents/${i.monitorIncidentId}`}>monitor incident</Link>
                  </>
                )}
                . Not shown publicly until published.
              </p>
              {canEdit && <PublishButton pageId={page.id} incidentId={i.id} />}
            </article>
          ))}
        </section>
      )}

      <section aria-labelledby="open-title">
        <h2 id="open-title">Open incidents</h2>
        {open.length === 0 && <p className="muted">No open incidents.</p>}
        {open.map((i) => (
          <article key={i.id} id={`incident-${i.id}`} className="card incident-card" data-testid="open-incident">
            <IncidentHead i={i} />
            <Updates i={i} />
            {canEdit && (
              <details className="advanced" open={open.length === 1}>
                <summary>Post an update</summary>
                <div className="advanced-body">
                  <PostUpdateForm pageId={page.id} incidentId={i.id} status={i.status} components={components} affected={i.components} />
                </div>
              </details>
            )}
          </article>
        ))}
      </section>

      {canEdit && (
        <section className="card" aria-labelledby="new-incident-title">
          <h2 className="card-title" id="new-incident-title">
            New incident
          </h2>
          <NewStatusIncidentForm pageId={page.id} components={components} />
        </section>
      )}

      {resolved.length > 0 && (
        <section aria-labelledby="resolved-title">
          <h2 id="resolved-title">Recently resolved</h2>
          {resolved.map((i) => (
            <article key={i.id} id={`incident-${i.id}`} className="card incident-card" data-testid="resolved-incident">
              <IncidentHead i={i} />
              <Updates i={i} />
            </article>
          ))}
        </section>
      )}
    </>
  );
}

function IncidentHead({ i }: { i: StatusIncidentView }) {
  return (
    <header className="incident-head">
      <h3>{i.title}</h3>
      <div className="row small-text" style={{ gap: "0.4rem" }}>
        <span className="badge">{i.draft ? "Draft" : INCIDENT_STATUS_LABEL[i.status]}</span>
        <span className="badge">Impact: {IMPACT_LABEL[i.impact]}</span>
        {i.components.map((c) => (
          <span key={c.componentId} className="badge">
            {c.name}: {c.status ? COMPONENT_STATUS_LABEL[c.status] : "follows monitor"}
          </span>
        ))}
      </div>
    </header>
  );
}

function Updates({ i }: { i: StatusIncidentView }) {
  if (i.updates.length === 0) return null;
  return (
    <ol className="timeline updates" data-testid="incident-updates">
      {i.updates.map((u) => (
        <li key={u.id} className="timeline-item">
          <span className="small-text">
            <strong>{INCIDENT_STATUS_LABEL[u.status]}</strong>
            <br />
            <time className="mono muted" dateTime={u.createdAt}>
              {utc(u.createdAt)}
            </time>
          </span>
          <p className="note-body">{u.body}</p>
        </li>
      ))}
    </ol>
  );
}
