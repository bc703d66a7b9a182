import { db } from "../../db/client";
import { statusMaintenances } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { statusMaintenanceCreateSchema, type StatusMaintenanceCreateInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { monitorsOfComponents, syncEngineWindow } from "./internal";
import { toStatusMaintenanceView, type StatusMaintenanceView } from "./view";

/** Announces a maintenance and, in the same transaction, creates the engine window that suppresses its monitors' alerts. */
export async function createStatusMaintenance({ ctx, pageId, input }: { ctx: Ctx; pageId: string; input: StatusMaintenanceCreateInput | unknown }): Promise<StatusMaintenanceView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusMaintenanceCreateSchema, input);
  const componentIds = [...new Set(d.componentIds)];
  const view = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
    const monitorIds = await monitorsOfComponents(tx, page.id, componentIds);
    const windowId = await syncEngineWindow(tx, ctx.org.id, { maintenanceWindowId: null, title: d.title, startsAt: d.startsAt, endsAt: d.endsAt }, monitorIds);
    const [m] = await tx
      .insert(statusMaintenances)
      .values({
        organizationId: ctx.org.id,
        pageId: page.id,
        maintenanceWindowId: windowId,
        title: d.title,
        message: d.message,
        componentIds,
        startsAt: d.startsAt,
        endsAt: d.endsAt,
        createdById: ctx.actor.userId,
      })
      .returning();
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_maintenance.created",
      targetType: "status_maintenance",
      targetId: m!.id,
      metadata: { pageId: page.id, title: d.title, maintenanceWindowId: windowId },
      meta: ctx.meta,
    });
    return toStatusMaintenanceView(m!);
  });
  await invalidateStatusPages({ pageIds: [pageId] });
  return view;
}
