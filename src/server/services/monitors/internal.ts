import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { monitors, type Monitor } from "../../db/schema";
import { NotFound } from "../../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scoped fetch-or-throw: another organization's monitor is indistinguishable from none. */
export async function getMonitorOrThrow(tx: DbOrTx, organizationId: string, monitorId: string, opts: { forUpdate?: boolean } = {}): Promise<Monitor> {
  if (!UUID.test(monitorId)) throw new NotFound("Monitor not found.");
  const q = tx.select().from(monitors).where(and(eq(monitors.id, monitorId), eq(monitors.organizationId, organizationId))).limit(1);
  const [m] = opts.forUpdate ? await q.for("update") : await q;
  if (!m) throw new NotFound("Monitor not found.");
  return m;
}
