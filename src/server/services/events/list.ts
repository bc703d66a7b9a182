import { and, desc, eq, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { incidents, monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { getMonitorOrThrow } from "../monitors/internal";
import { toEventView, type EventView } from "./view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Incidents newest first, keyset-paginated on (opened_at to the millisecond, id). */
export async function listEvents({
  ctx,
  monitorId,
  state,
  from,
  to,
  limit,
  after,
}: {
  ctx: Ctx;
  monitorId?: string;
  state?: string;
  from?: Date;
  to?: Date;
  limit: number;
  after?: { t: string; id: string };
}): Promise<{ data: EventView[]; next: { t: string; id: string } | null }> {
  requirePermission(ctx, "org:read");
  const where = [eq(incidents.organizationId, ctx.org.id)];
  if (monitorId) {
    if (!UUID.test(monitorId)) throw new Invalid("monitorId must be a monitor id (UUID)", { monitorId: ["Use a monitor id (UUID)"] });
    where.push(eq(incidents.monitorId, (await getMonitorOrThrow(db(), ctx.org.id, monitorId)).id));
  }
  if (state !== undefined) {
    if (state !== "open" && state !== "closed") throw new Invalid('state must be "open" or "closed"', { state: ['Use "open" or "closed"'] });
    where.push(state === "open" ? isNull(incidents.closedAt) : isNotNull(incidents.closedAt));
  }
  if (from) where.push(gte(incidents.openedAt, from));
  if (to) where.push(lt(incidents.openedAt, to));
  const openedMs = sql`date_trunc('milliseconds', ${incidents.openedAt})`;
  if (after) where.push(sql`(${openedMs}, ${incidents.id}) < (${after.t}::timestamptz, ${after.id}::uuid)`);
  const rows = await db()
    .select({ incident: incidents, monitorName: monitors.name })
    .from(incidents)
    .innerJoin(monitors, eq(monitors.id, incidents.monitorId))
    .where(and(...where))
    .orderBy(desc(openedMs), desc(incidents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map((r) => toEventView(r.incident, r.monitorName)), next: rows.length > limit && last ? { t: last.incident.openedAt.toISOString(), id: last.incident.id } : null };
}
