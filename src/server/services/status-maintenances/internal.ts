import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { maintenanceWindows, statusMaintenances, statusPageComponents, type StatusMaintenance } from "../../db/schema";
import { Invalid, NotFound } from "../../errors";
import { isUuid } from "../status-pages/internal";

export async function getStatusMaintenanceOrThrow(tx: DbOrTx, organizationId: string, pageId: string, maintenanceId: string, opts: { forUpdate?: boolean } = {}): Promise<StatusMaintenance> {
  if (!isUuid(maintenanceId)) throw new NotFound("Maintenance not found.");
  const q = tx
    .select()
    .from(statusMaintenances)
    .where(and(eq(statusMaintenances.id, maintenanceId), eq(statusMaintenances.pageId, pageId), eq(statusMaintenances.organizationId, organizationId)))
    .limit(1);
  const [m] = opts.forUpdate ? await q.for("update") : await q;
  if (!m) throw new NotFound("Maintenance not found.");
  return m;
}

/**
 * The monitors a maintenance covers: its components' (all the page's when none are named).
 * Never empty — an engine window without monitors would cover the whole organization.
 */
export async function monitorsOfComponents(tx: DbOrTx, pageId: string, componentIds: string[]): Promise<string[]> {
  const rows = await tx
    .select({ id: statusPageComponents.id, monitorId: statusPageComponents.monitorId })
    .from(statusPageComponents)
    .where(and(eq(statusPageComponents.pageId, pageId), ...(componentIds.length ? [inArray(statusPageComponents.id, componentIds)] : [])));
  const known = new Set(rows.map((r) => r.id));
  const bad = componentIds.findIndex((id) => !known.has(id));
  if (bad >= 0) throw new NotFound("Component not found.", { [`componentIds.${bad}`]: ["No such component on this page"] });
  if (!rows.length) throw new Invalid("The page has no components to put under maintenance.", { componentIds: ["The page has no components to put under maintenance"] });
  return [...new Set(rows.map((r) => r.monitorId))].sort();
}

/** Creates or brings in step the engine's one-off window of a maintenance; returns its id. */
export async function syncEngineWindow(
  tx: DbOrTx,
  organizationId: string,
  m: { maintenanceWindowId: string | null; title: string; startsAt: Date; endsAt: Date },
  monitorIds: string[],
): Promise<string> {
  const values = { name: `Status page: ${m.title}`.slice(0, 120), monitorIds, kind: "one_off" as const, startsAt: m.startsAt, endsAt: m.endsAt, timeZone: "UTC" };
  if (m.maintenanceWindowId) {
    const [w] = await tx
      .update(maintenanceWindows)
      .set(values)
      .where(and(eq(maintenanceWindows.id, m.maintenanceWindowId), eq(maintenanceWindows.organizationId, organizationId)))
      .returning({ id: maintenanceWindows.id });
    if (w) return w.id;
  }
  const [w] = await tx
    .insert(maintenanceWindows)
    .values({ organizationId, ...values })
    .returning({ id: maintenanceWindows.id });
  return w!.id;
}
