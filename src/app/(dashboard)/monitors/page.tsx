import Link from "next/link";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { MonitorTable } from "@/components/monitors/bulk-list";
import { can } from "@/server/auth/permissions";
import type { MonitorState } from "@/server/db/schema";
import { listMonitors } from "@/server/services/monitors/list";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Monitors" };

const STATES: MonitorState[] = ["DOWN", "DEGRADED", "UP", "PENDING", "PAUSED"];

export default async function MonitorsPage({ searchParams }: PageProps<"/monitors">) {
  const ctx = await requireCtx();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const state = typeof sp.state === "string" && STATES.includes(sp.state as MonitorState) ? (sp.state as MonitorState) : undefined;
  const [monitors, all] = await Promise.all([listMonitors({ ctx, search: q, states: state ? [state] : undefined }), q || state ? listMonitors({ ctx }) : null]);
  const total = (all ?? monitors).length;
  const counts = Object.fromEntries(STATES.map((s) => [s, (all ?? monitors).filter((m) => m.state === s).length]));
  const canEdit = can(ctx.org.role, "monitors:write");
  const now = Date.now();
  return (
    <>
      <AutoRefresh />
      <div className="page-head">
        <div>
          <h1>Monitors</h1>
          <p>
            {total} monitor{total === 1 ? "" : "s"} in {ctx.org.name}
            {counts.DOWN ? (
              <>
                {" · "}
                <strong style={{ color: "var(--danger)" }}>{counts.DOWN} down</strong>
              </>
            ) : null}
          </p>
        </div>
        {canEdit && total > 0 && (
          <Link className="btn" href="/monitors/new">
            New monitor
          </Link>
        )}
      </div>
      {total === 0 ? (
        <section className="empty" aria-labelledby="no-monitors">
          <h2 id="no-monitors">No monitors in {ctx.org.name} yet</h2>
          <p>
            A monitor checks a URL, port, certificate or DNS record on a schedule — or waits for pings from your cron job — and
            alerts you when it breaks. Start with your homepage or a health endpoint.
          </p>
          {canEdit ? (
            <Link className="btn" href="/monitors/new">
              Create your first monitor
            </Link>
          ) : (
            <p className="muted">Your role ({ctx.org.role}) can view monitors; ask an EDITOR or ADMIN to add some.</p>
          )}
        </section>
      ) : (
        <>
          <form className="row filters" method="get" role="search">
            <label htmlFor="q" className="skip-link">
              Search monitors
            </label>
            <input id="q" name="q" defaultValue={q} placeholder="Search by name" className="search" />
            <label htmlFor="state-filter" className="skip-link">
              Filter by state
            </label>
            <select id="state-filter" name="state" defaultValue={state ?? ""}>
              <option value="">All states</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s} ({counts[s]})
                </option>
              ))}
            </select>
            <button className="btn secondary small" type="submit">
              Filter
            </button>
            {(q || state) && (
              <Link href="/monitors" className="small-text">
                Clear
              </Link>
            )}
          </form>
          {monitors.length === 0 ? <p className="muted">No monitor matches this filter.</p> : <MonitorTable monitors={monitors} canEdit={canEdit} now={now} />}
        </>
      )}
    </>
  );
}
