import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusMaintenances } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { maintenanceSpanSchema, statusMaintenanceUpdateSchema, type StatusMaintenanceUpdateInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { getStatusMaintenanceOrThrow, monitorsOfComponents, syncEngineWindow } from "./internal";
import { toStatusMaintenanceView, type StatusMaintenanceView } from "./view";

/** Partial update; the engine window follows (times, title, monitors) in the same transaction. */
export async function updateStatusMaintenance({
  ctx,
  pageId,
  maintenanceId,
  input,
}: {
  ctx: Ctx;
  pageId: string;
  maintenanceId: string;
  input: StatusMaintenanceUpdateInput | unknown;
}): Promise<StatusMaintenanceView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusMaintenanceUpdateSchema, input);
  const view = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
    const current = await getStatusMaintenanceOrThrow(tx, ctx.org.id, page.id, maintenanceId, { forUpdate: true });
    const span = parseInput(maintenanceSpanSchema, { startsAt: d.startsAt ?? current.startsAt, endsAt: d.endsAt ?? current.endsAt });
    const title = d.title ?? current.title;
    const componentIds = d.componentIds ? [...new Set(d.componentIds)] : current.componentIds;
    const monitorIds = await monitorsOfComponents(tx, page.id, componentIds);
    const windowId = await syncEngineWindow(tx, ctx.org.id, { maintenanceWindowId: current.maintenanceWindowId, title, ...span }, monitorIds);
    const [m] = await tx
      .update(statusMaintenances)
      .set({
        title,
        ...(d.message !== undefined ? { message: d.message } : {}),
        componentIds,
        ...span,
        maintenanceWindowId: windowId,
        updatedAt: new Date(),
      })
      .where(eq(statusMaintenances.id, current.id))
      .returning();
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_maintenance.updated",
      targetType: "status_maintenance",
      targetId: current.id,
      metadata: { pageId: page.id, fields: Object.keys(d).filter((k) => (d as Record<string, unknown>)[k] !== undefined) },
      meta: ctx.meta,
    });
    return toStatusMaintenanceView(m!);
  });
  await invalidateStatusPages({ pageIds: [pageId] });
  return view;
}
