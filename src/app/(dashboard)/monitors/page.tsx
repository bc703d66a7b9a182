import Link from "next/link";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { BulkActions } from "@/components/monitors/bulk-actions";
import { MonitorTable } from "@/components/monitors/monitor-table";
import { can } from "@/server/auth/permissions";
import type { MonitorState } from "@/server/db/schema";
import { listMonitors } from "@/server/services/monitors/list";
import { requireCtx } from "@/web/session";

export const metadata = { title: "Monitors" };

const STATES: MonitorState[] = ["DOWN", "DEGRADED", "UP", "PENDING", "PAUSED"];
const STATE_LABEL: Record<MonitorState, string> = { DOWN: "Down", DEGRADED: "Degraded", UP: "Up", PENDING: "Pending", PAUSED: "Paused" };

function filterHref(q: string, state?: MonitorState): string {
  const sp = new URLSearchParams();
  if (q) sp.set("q", q);
  if (state) sp.set("state", state);
  const s = sp.toString();
  return s ? `/monitors?${s}` : "/monitors";
}

export default async function MonitorsPage({ searchParams }: PageProps<"/monitors">) {
  const ctx = await requireCtx();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q.trim().slice(0, 120) : "";
  const state = typeof sp.state === "string" && STATES.includes(sp.state as MonitorState) ? (sp.state as MonitorState) : undefined;
  // Chip counts follow the search but not the state filter, so they stay put while you switch chips.
  const [matching, all] = await Promise.all([listMonitors({ ctx, search: q }), q ? listMonitors({ ctx }) : null]);
  const monitors = state ? matching.filter((m) => m.state === state) : matching;
  const total = (all ?? matching).length;
  const counts = Object.fromEntries(STATES.map((s) => [s, matching.filter((m) => m.state === s).length])) as Record<MonitorState, number>;
  const canEdit = can(ctx.org.role, "monitors:write");
  const now = Date.now();

  if (total === 0) {
    return (
      <>
        <div className="page-head">
          <div>
            <h1>Monitors</h1>
            <p>Uptime, latency and incidents for everything {ctx.org.name} runs.</p>
          </div>
        </div>
        <section className="empty" aria-labelledby="no-monitors">
          <h2 id="no-monitors">No monitors yet</h2>
          <p>
            A monitor checks a URL, a TCP port, a certificate or a DNS record on a schedule — or waits for pings from your cron job — and alerts your team when it breaks. A good first one is your
            homepage or a <span className="mono">/health</span> endpoint.
          </p>
          {canEdit ? (
            <Link className="btn" href="/monitors/new">
              Create your first monitor
            </Link>
          ) : (
            <p className="muted">
              Your role ({ctx.org.role}) can view monitors; ask an editor or admin of {ctx.org.name} to add some.
            </p>
          )}
        </section>
      </>
    );
  }

  const summary = STATES.filter((s) => counts[s] > 0 && s !== "UP").map((s) => `${counts[s]} ${STATE_LABEL[s].toLowerCase()}`);
  return (
    <>
      <AutoRefresh />
      <div className="page-head">
        <div>
          <h1>Monitors</h1>
          <p>
            {q ? `${matching.length} of ${total} monitors match “${q}”` : `${total} monitor${total === 1 ? "" : "s"} in ${ctx.org.name}`}
            {counts.UP === matching.length ? " · all up" : summary.length ? ` · ${summary.join(", ")}` : ""}
          </p>
        </div>
        {canEdit && (
          <Link className="btn" href="/monitors/new">
            New monitor
          </Link>
        )}
      </div>
      <div className="toolbar">
        <nav className="chips" aria-label="Filter by state">
          <Link href={filterHref(q)} className="chip" aria-current={state ? undefined : "page"}>
            All <span className="chip-count">{matching.length}</span>
          </Link>
          {STATES.map((s) => (
            <Link key={s} href={filterHref(q, s)} className={`chip chip-${s.toLowerCase()}`} aria-current={state === s ? "page" : undefined}>
              <span className="state-dot" aria-hidden />
              {STATE_LABEL[s]} <span className="chip-count">{counts[s]}</span>
            </Link>
          ))}
        </nav>
        <form className="search-form" method="get" role="search">
          {state && <input type="hidden" name="state" value={state} />}
          <label htmlFor="monitor-search" className="sr-only">
            Search monitors by name
          </label>
          <input id="monitor-search" type="search" name="q" defaultValue={q} placeholder="Search by name" />
          <button className="btn secondary small" type="submit">
            Search
          </button>
        </form>
      </div>
      {monitors.length === 0 ? (
        <div className="empty small-empty">
          <p>
            No monitor {q ? <>named like &ldquo;{q}&rdquo; </> : null}
            {state ? <>is {STATE_LABEL[state].toLowerCase()} right now</> : null}.
          </p>
          <Link href="/monitors">Show all monitors</Link>
        </div>
      ) : canEdit ? (
        <BulkActions>
          <MonitorTable monitors={monitors} selectable now={now} />
        </BulkActions>
      ) : (
        <div className="card table-card">
          <MonitorTable monitors={monitors} selectable={false} now={now} />
        </div>
      )}
    </>
  );
}
