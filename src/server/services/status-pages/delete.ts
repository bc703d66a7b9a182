import { eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { maintenanceWindows, statusMaintenances, statusPages } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow } from "./internal";

/** Deletes a page with everything on it; its maintenances' engine windows go too (they were announced only there). */
export async function deleteStatusPage({ ctx, pageId }: { ctx: Ctx; pageId: string }): Promise<void> {
  requirePermission(ctx, "status-pages:write");
  await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
    const windows = await tx.select({ id: statusMaintenances.maintenanceWindowId }).from(statusMaintenances).where(eq(statusMaintenances.pageId, page.id));
    const windowIds = windows.map((w) => w.id).filter((id): id is string => id != null);
    if (windowIds.length) await tx.delete(maintenanceWindows).where(inArray(maintenanceWindows.id, windowIds));
    await tx.delete(statusPages).where(eq(statusPages.id, page.id));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_page.deleted",
      targetType: "status_page",
      targetId: page.id,
      metadata: { name: page.name, slug: page.slug },
      meta: ctx.meta,
    });
  });
  await invalidateStatusPages({ pageIds: [pageId] });
}
