import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { incidents, monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { toEventView, type EventView } from "./view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getEvent({ ctx, eventId }: { ctx: Ctx; eventId: string }): Promise<EventView> {
  requirePermission(ctx, "org:read");
  if (!UUID.test(eventId)) throw new NotFound("Event not found.");
  const [r] = await db()
    .select({ incident: incidents, monitorName: monitors.name })
    .from(incidents)
    .innerJoin(monitors, eq(monitors.id, incidents.monitorId))
    .where(and(eq(incidents.id, eventId), eq(incidents.organizationId, ctx.org.id)));
  if (!r) throw new NotFound("Event not found.");
  return toEventView(r.incident, r.monitorName);
}
