import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { incidents, type Incident } from "../../db/schema";
import type { Ctx } from "../../context";
import { Conflict } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";
import { getIncidentOrThrow } from "./internal";

/**
 * "I am on it": records who acknowledged an open monitor incident and when. The first
 * acknowledgement stands; acknowledging again changes nothing. A closed incident cannot be
 * acknowledged.
 */
export async function acknowledgeIncident({ ctx, incidentId }: { ctx: Ctx; incidentId: string }): Promise<Incident> {
  requirePermission(ctx, "incidents:write");
  return db().transaction(async (tx) => {
    const incident = await getIncidentOrThrow(tx, ctx.org.id, incidentId, { forUpdate: true });
    if (incident.acknowledgedAt) return incident;
    if (incident.closedAt) throw new Conflict("This incident is already resolved; there is nothing to acknowledge.");
    const [updated] = await tx.update(incidents).set({ acknowledgedAt: new Date(), acknowledgedById: ctx.actor.userId }).where(eq(incidents.id, incident.id)).returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "incident.acknowledged",
      targetType: "incident",
      targetId: incident.id,
      metadata: { monitorId: incident.monitorId },
      meta: ctx.meta,
    });
    return updated!;
  });
}
