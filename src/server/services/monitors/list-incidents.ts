import { and, desc, eq, lt } from "drizzle-orm";
import { db } from "../../db/client";
import { incidents, monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getMonitorOrThrow } from "./internal";

/** Incidents (downtime events) of the organization, newest first, optionally for one monitor. */
export async function listIncidents({ ctx, monitorId, before, limit = 50 }: { ctx: Ctx; monitorId?: string; before?: Date; limit?: number }) {
  requirePermission(ctx, "org:read");
  const where = [eq(incidents.organizationId, ctx.org.id)];
  if (monitorId) where.push(eq(incidents.monitorId, (await getMonitorOrThrow(db(), ctx.org.id, monitorId)).id));
  if (before) where.push(lt(incidents.openedAt, before));
  return db()
    .select({ incident: incidents, monitorName: monitors.name })
    .from(incidents)
    .innerJoin(monitors, eq(monitors.id, incidents.monitorId))
    .where(and(...where))
    .orderBy(desc(incidents.openedAt))
    .limit(Math.min(limit, 200));
}
