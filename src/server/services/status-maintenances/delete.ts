import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { maintenanceWindows, statusMaintenances } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { getStatusMaintenanceOrThrow } from "./internal";

/** Deletes the maintenance and its engine window: alerts are no longer suppressed. */
export async function deleteStatusMaintenance({ ctx, pageId, maintenanceId }: { ctx: Ctx; pageId: string; maintenanceId: string }): Promise<void> {
  requirePermission(ctx, "status-pages:write");
  await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
    const m = await getStatusMaintenanceOrThrow(tx, ctx.org.id, page.id, maintenanceId, { forUpdate: true });
    await tx.delete(statusMaintenances).where(eq(statusMaintenances.id, m.id));
    if (m.maintenanceWindowId) await tx.delete(maintenanceWindows).where(and(eq(maintenanceWindows.id, m.maintenanceWindowId), eq(maintenanceWindows.organizationId, ctx.org.id)));
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_maintenance.deleted",
      targetType: "status_maintenance",
      targetId: m.id,
      metadata: { pageId: page.id, title: m.title },
      meta: ctx.meta,
    });
  });
  await invalidateStatusPages({ pageIds: [pageId] });
}
