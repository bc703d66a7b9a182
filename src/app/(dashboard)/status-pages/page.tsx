import Link from "next/link";
import { StatusPageForm } from "@/components/status-pages/page-form";
import { can } from "@/server/auth/permissions";
import { listMonitors } from "@/server/services/monitors/list";
import { listStatusIncidents } from "@/server/services/status-incidents/list";
import { listStatusPages } from "@/server/services/status-pages/list";
import { countStatusSubscribers } from "@/server/services/status-subscribers/count";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Status pages" };

const ACCESS_LABEL = { public: "Public", password: "Password", members: "Members only" } as const;

export default async function StatusPagesPage() {
  const ctx = await requireCtx();
  const [pages, monitors, open, drafts] = await Promise.all([
    listStatusPages({ ctx }),
    listMonitors({ ctx }),
    listStatusIncidents({ ctx, filter: "open", limit: 200 }),
    listStatusIncidents({ ctx, filter: "draft", limit: 200 }),
  ]);
  const subscribers = await Promise.all(pages.map((p) => countStatusSubscribers({ ctx, pageId: p.id })));
  const countBy = (list: { pageId: string }[], pageId: string) => list.filter((i) => i.pageId === pageId).length;
  const canEdit = can(ctx.org.role, "status-pages:write");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Status pages</h1>
          <p>Public pages that tell your customers what is up, what is down and what you are doing about it.</p>
        </div>
      </div>
      {pages.length === 0 ? (
        <section className="empty" aria-labelledby="no-pages">
          <h2 id="no-pages">No status pages yet</h2>
          <p>Group your monitors into a status page on your own domain, post incident updates and let subscribers follow along.</p>
        </section>
      ) : (
        <section className="card table-card" aria-label="Your status pages">
          <table className="table stack" data-testid="status-pages">
            <thead>
              <tr>
                <th scope="col">Page</th>
                <th scope="col">Public address</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Subscribers
                </th>
              </tr>
            </thead>
            <tbody>
              {pages.map((p, n) => {
                const openCount = countBy(open, p.id);
                const draftCount = countBy(drafts, p.id);
                return (
                  <tr key={p.id} data-testid="status-page-row" data-page-slug={p.slug}>
                    <td data-label="Page">
                      <Link href={`/status-pages/${p.id}`} className="monitor-name">
                        {p.name}
                      </Link>
                      <div className="small-text muted">
                        {p.components.length} component{p.components.length === 1 ? "" : "s"} · <Link href={`/status-pages/${p.id}/incidents`}>incidents</Link>
                      </div>
                    </td>
                    <td data-label="Public address" className="mono small-text">
                      <a href={`/status/${p.slug}`} target="_blank" rel="noopener">
                        /status/{p.slug}
                      </a>
                      {p.customDomain && p.domainVerifiedAt && (
                        <>
                          <br />
                          <span>{p.customDomain}</span>
                        </>
                      )}
                    </td>
                    <td data-label="State">
                      <div className="row" style={{ gap: "0.35rem" }}>
                        <span className={`badge${p.published ? " ok" : ""}`}>{p.published ? "Published" : "Unpublished"}</span>
                        <span className="badge">{ACCESS_LABEL[p.access]}</span>
                        {openCount > 0 && (
                          <span className="pill pill-danger">
                            {openCount} open incident{openCount === 1 ? "" : "s"}
                          </span>
                        )}
                        {draftCount > 0 && (
                          <span className="badge admin">
                            {draftCount} draft{draftCount === 1 ? "" : "s"} to publish
                          </span>
                        )}
                      </div>
                    </td>
                    <td data-label="Subscribers" className="num" title={`${subscribers[n]!.email.pending + subscribers[n]!.webhook.pending} awaiting confirmation`}>
                      {subscribers[n]!.total}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {canEdit && (
        <section className="card" aria-labelledby="new-page">
          <h2 className="card-title" id="new-page">
            New status page
          </h2>
          <StatusPageForm monitors={monitors.map((m) => ({ id: m.id, name: m.name }))} />
        </section>
      )}
    </>
  );
}
