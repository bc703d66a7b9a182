import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { maintenanceWindows } from "../../db/schema";
import type { Ctx } from "../../context";
import { NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";

const UUID = /^[0-9a-f-]{36}$/i;

export async function deleteMaintenanceWindow({ ctx, id }: { ctx: Ctx; id: string }): Promise<void> {
  requirePermission(ctx, "monitors:write");
  if (!UUID.test(id)) throw new NotFound("Maintenance window not found.");
  await db().transaction(async (tx) => {
    const [w] = await tx
      .delete(maintenanceWindows)
      .where(and(eq(maintenanceWindows.id, id), eq(maintenanceWindows.organizationId, ctx.org.id)))
      .returning();
    if (!w) throw new NotFound("Maintenance window not found.");
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "maintenance.deleted",
      targetType: "maintenance_window",
      targetId: id,
      metadata: { name: w.name },
      meta: ctx.meta,
    });
  });
}
