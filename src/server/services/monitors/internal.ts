import type { DbOrTx } from "../../db/client";
import { db, pool } from "../../db/client";
import { and, count, eq } from "drizzle-orm";
import { monitors, type Monitor } from "../../db/schema";
import { NotFound } from "../../errors";
import { MONITOR_COLUMNS } from "../../monitors/raw";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scoped fetch-or-throw: another organization's monitor is indistinguishable from none. */
export async function getMonitorOrThrow(tx: DbOrTx, organizationId: string, monitorId: string, opts: { forUpdate?: boolean } = {}): Promise<Monitor> {
  if (!UUID.test(monitorId)) throw new NotFound("Monitor not found.");
  if (opts.forUpdate || tx !== db()) {
    const [m] = await tx
      .select()
      .from(monitors)
      .where(and(eq(monitors.id, monitorId), eq(monitors.organizationId, organizationId)))
      .limit(1)
      .for("update");
    if (!m) throw new NotFound("Monitor not found.");
    return m;
  }
  // Plain reads (API and pages) go straight to pg with a named, plan-cached statement.
  const { rows } = await pool().query<Monitor>({
    name: "perigee_monitor_by_id",
    text: `select ${MONITOR_COLUMNS} from monitors m where m.id = $1 and m.organization_id = $2`,
    values: [monitorId, organizationId],
  });
  if (!rows[0]) throw new NotFound("Monitor not found.");
  return rows[0];
}

/** Monitors the plan runs: all but those a downgrade paused (the count a resume must fit in). */
export async function runningByPlan(tx: DbOrTx, organizationId: string): Promise<number> {
  const [r] = await tx
    .select({ n: count() })
    .from(monitors)
    .where(and(eq(monitors.organizationId, organizationId), eq(monitors.pausedByPlan, false)));
  return r?.n ?? 0;
}
