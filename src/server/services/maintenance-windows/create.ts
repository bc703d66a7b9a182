import { and, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { maintenanceWindows, monitors, type MaintenanceWindow } from "../../db/schema";
import type { Ctx } from "../../context";
import { NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { maintenanceInputSchema, type MaintenanceInput } from "../../validation/maintenance";
import { recordAudit } from "../audit/record";

export async function createMaintenanceWindow({ ctx, input }: { ctx: Ctx; input: MaintenanceInput | unknown }): Promise<MaintenanceWindow> {
  requirePermission(ctx, "monitors:write");
  const d = parseInput(maintenanceInputSchema, input);
  return db().transaction(async (tx) => {
    if (d.monitorIds.length) {
      const own = await tx
        .select({ id: monitors.id })
        .from(monitors)
        .where(and(eq(monitors.organizationId, ctx.org.id), inArray(monitors.id, d.monitorIds)));
      if (own.length !== new Set(d.monitorIds).size) throw new NotFound("Monitor not found.");
    }
    const [w] = await tx
      .insert(maintenanceWindows)
      .values({
        organizationId: ctx.org.id,
        name: d.name,
        kind: d.kind,
        monitorIds: d.monitorIds,
        startsAt: d.kind === "one_off" ? d.startsAt! : null,
        endsAt: d.kind === "one_off" ? d.endsAt! : null,
        weekdays: d.kind === "weekly" ? d.weekdays : null,
        startTime: d.kind === "weekly" ? d.startTime! : null,
        durationMinutes: d.kind === "weekly" ? d.durationMinutes! : null,
        timeZone: d.timeZone,
      })
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "maintenance.created",
      targetType: "maintenance_window",
      targetId: w!.id,
      metadata: { name: d.name, kind: d.kind },
      meta: ctx.meta,
    });
    return w!;
  });
}
