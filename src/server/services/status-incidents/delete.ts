import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusIncidents } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { getStatusIncidentOrThrow } from "./internal";

export async function deleteStatusIncident({ ctx, pageId, incidentId }: { ctx: Ctx; pageId: string; incidentId: string }): Promise<void> {
  requirePermission(ctx, "status-pages:write");
  await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId);
    const incident = await getStatusIncidentOrThrow(tx, ctx.org.id, page.id, incidentId, { forUpdate: true });
    await tx.delete(statusIncidents).where(eq(statusIncidents.id, incident.id));
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_incident.deleted",
      targetType: "status_incident",
      targetId: incident.id,
      metadata: { pageId: page.id, title: incident.title },
      meta: ctx.meta,
    });
  });
  await invalidateStatusPages({ pageIds: [pageId] });
}
