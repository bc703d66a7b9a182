import Link from "next/link";
import { notFound } from "next/navigation";
import { utc } from "@/components/monitors/target";
import { ComponentsEditor } from "@/components/status-pages/components-editor";
import { DomainForm } from "@/components/status-pages/domain-form";
import { StatusMaintenanceForm } from "@/components/status-pages/maintenance-form";
import { StatusPageForm } from "@/components/status-pages/page-form";
import { StatusPageNav } from "@/components/status-pages/page-nav";
import { can } from "@/server/auth/permissions";
import { NotFound } from "@/server/errors";
import { listMonitors } from "@/server/services/monitors/list";
import { listStatusMaintenances } from "@/server/services/status-maintenances/list";
import { getStatusPage } from "@/server/services/status-pages/get";
import { countStatusSubscribers } from "@/server/services/status-subscribers/count";
import { deleteStatusMaintenanceAction } from "@/web/actions/status-pages";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Status page" };

const MAINTENANCE_LABEL = { scheduled: "Scheduled", in_progress: "In progress", completed: "Completed" } as const;

export default async function StatusPageEditor({ params }: PageProps<"/status-pages/[id]">) {
  const ctx = await requireCtx();
  const { id } = await params;
  const page = await getStatusPage({ ctx, pageId: id }).catch((e) => {
    if (e instanceof NotFound) notFound();
    throw e;
  });
  const [monitors, maintenances, subscribers] = await Promise.all([listMonitors({ ctx }), listStatusMaintenances({ ctx, pageId: page.id }), countStatusSubscribers({ ctx, pageId: page.id })]);
  const canEdit = can(ctx.org.role, "status-pages:write");
  const componentName = new Map(page.components.map((c) => [c.id, c.name]));
  return (
    <>
      <nav className="breadcrumb small-text" aria-label="Breadcrumb">
        <Link href="/status-pages">Status pages</Link> <span aria-hidden>/</span> <span className="muted">{page.name}</span>
      </nav>
      <div className="page-head">
        <div className="monitor-title">
          <h1>{page.name}</h1>
          <p className="mono small-text">
            <a href={`/status/${page.slug}`} target="_blank" rel="noopener">
              /status/{page.slug}
            </a>
            {!page.published && <span className="badge"> Unpublished</span>}
          </p>
        </div>
      </div>
      <StatusPageNav pageId={page.id} slug={page.slug} current="editor" />

      <section className="stats" aria-label="Subscribers">
        <div className="card stat">
          <div className="stat-label">Subscribers</div>
          <div className="stat-value" data-testid="subscriber-total">
            {subscribers.total}
          </div>
          <div className="stat-sub">
            {subscribers.email.confirmed} by email · {subscribers.webhook.confirmed} by webhook · {subscribers.email.pending + subscribers.webhook.pending} awaiting confirmation
          </div>
        </div>
        <div className="card stat">
          <div className="stat-label">Components</div>
          <div className="stat-value">{page.components.length}</div>
          <div className="stat-sub">{page.sections.length ? `in ${page.sections.length} section${page.sections.length === 1 ? "" : "s"}` : "no sections"}</div>
        </div>
      </section>

      <section className="card" aria-labelledby="components-title">
        <h2 className="card-title" id="components-title">
          Components
        </h2>
        {canEdit ? (
          <ComponentsEditor pageId={page.id} components={page.components} monitors={monitors.map((m) => ({ id: m.id, name: m.name }))} />
        ) : (
          <ol className="plain-list">
            {page.components.map((c) => (
              <li key={c.id}>
                {c.sectionName && <span className="muted">{c.sectionName} / </span>}
                {c.name}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="maint-title">
        <h2 className="card-title" id="maint-title">
          Scheduled maintenance
        </h2>
        {maintenances.length === 0 ? (
          <p className="muted">None planned. A maintenance is shown on the page ahead of time and silences its components&apos; alerts while it runs.</p>
        ) : (
          <table className="table stack" data-testid="maintenances">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Components</th>
                <th scope="col">Status</th>
                {canEdit && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {maintenances.map((m) => (
                <tr key={m.id}>
                  <td data-label="Title">{m.title}</td>
                  <td data-label="When (UTC)" className="mono small-text">
                    {utc(m.startsAt)} → {utc(m.endsAt)}
                  </td>
                  <td data-label="Components">{m.componentIds.length ? m.componentIds.map((c) => componentName.get(c) ?? "removed").join(", ") : "All components"}</td>
                  <td data-label="Status">
                    <span className={`badge${m.status === "in_progress" ? " admin" : ""}`}>{MAINTENANCE_LABEL[m.status]}</span>
                  </td>
                  {canEdit && (
                    <td>
                      <form action={deleteStatusMaintenanceAction}>
                        <input type="hidden" name="pageId" value={page.id} />
                        <input type="hidden" name="maintenanceId" value={m.id} />
                        <button className="btn secondary small" type="submit">
                          Delete
                        </button>
                      </form>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canEdit && (
          <details className="advanced">
            <summary>Schedule a maintenance</summary>
            <div className="advanced-body">
              <StatusMaintenanceForm pageId={page.id} timeZone={page.timeZone} components={page.components.map((c) => ({ id: c.id, name: c.name }))} />
            </div>
          </details>
        )}
      </section>

      <section className="card" aria-labelledby="domain-title">
        <h2 className="card-title" id="domain-title">
          Custom domain
        </h2>
        {page.customDomain ? (
          <div data-testid="domain-state">
            <p>
              <strong className="mono">{page.customDomain}</strong>{" "}
              {page.domainVerifiedAt ? <span className="badge ok">Verified {page.domainVerifiedAt.slice(0, 10)}</span> : <span className="badge">Not verified yet</span>}
            </p>
            {!page.domainVerifiedAt && page.domainToken && (
              <>
                <p className="small-text">Add this DNS TXT record; Perigee checks it and then serves the page at the domain&apos;s root.</p>
                <dl className="dns-record">
                  <dt>Name</dt>
                  <dd>
                    <code className="code copyable">_perigee.{page.customDomain}</code>
                  </dd>
                  <dt>Type</dt>
                  <dd>
                    <code className="code">TXT</code>
                  </dd>
                  <dt>Value</dt>
                  <dd>
                    <code className="code copyable">{page.domainToken}</code>
                  </dd>
                </dl>
              </>
            )}
          </div>
        ) : (
          <p className="muted">Serve this page on your own domain, like status.example.com.</p>
        )}
        {canEdit && <DomainForm pageId={page.id} domain={page.customDomain} />}
      </section>

      {canEdit && (
        <section className="card" aria-labelledby="settings-title">
          <h2 className="card-title" id="settings-title">
            Settings
          </h2>
          <StatusPageForm page={page} />
        </section>
      )}
    </>
  );
}
