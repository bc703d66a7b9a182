import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { monitorRegionState, monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { syncScheduleSafely } from "../../monitors/schedule";
import { invalidateStatusPages } from "../../status/invalidate";
import { assertCountAllows, orgForLimits } from "../../billing/guard";
import { recordAudit } from "../audit/record";
import { getMonitorOrThrow, runningByPlan } from "./internal";
import { toMonitorViews, type MonitorView } from "./view";

/** Pause or resume several monitors of the caller's organization; unknown ids are 404 for the whole call. */
export async function setMonitorsPaused({ ctx, monitorIds, paused }: { ctx: Ctx; monitorIds: string[]; paused: boolean }): Promise<MonitorView[]> {
  requirePermission(ctx, "monitors:write");
  const ids = [...new Set(monitorIds)];
  const rows = await db().transaction(async (tx) => {
    // Organization row before monitor rows, the order plan enforcement (billing/enforce.ts) locks
    // them in, so a resume and a downgrade cannot deadlock.
    const org = paused ? null : await orgForLimits(tx, ctx.org.id, { lock: true });
    const locked = [];
    for (const id of ids) locked.push(await getMonitorOrThrow(tx, ctx.org.id, id, { forUpdate: true }));
    // A monitor a downgrade paused runs again only within the plan's monitor count.
    const byPlan = paused ? 0 : locked.filter((m) => m.pausedByPlan && m.paused).length;
    if (org && byPlan) assertCountAllows(org, "monitors", await runningByPlan(tx, ctx.org.id), { adding: byPlan });
    const updated = await tx
      .update(monitors)
      .set({
        paused,
        ...(paused ? {} : { pausedByPlan: false }),
        state: paused ? "PAUSED" : "PENDING",
        stateChangedAt: new Date(),
        // A heartbeat's first deadline after resuming counts from now.
        lastHeartbeatAt: paused ? monitors.lastHeartbeatAt : sql`case when ${monitors.type} = 'heartbeat' then now() else ${monitors.lastHeartbeatAt} end`,
        version: sql`${monitors.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(monitors.organizationId, ctx.org.id), inArray(monitors.id, ids), eq(monitors.paused, !paused)))
      .returning();
    // Resumed monitors start confirming from scratch.
    if (!paused && updated.length)
      await tx.delete(monitorRegionState).where(
        inArray(
          monitorRegionState.monitorId,
          updated.map((m) => m.id),
        ),
      );
    for (const m of updated) {
      await recordAudit(tx, {
        organizationId: ctx.org.id,
        actorUserId: ctx.actor.userId,
        action: paused ? "monitor.paused" : "monitor.resumed",
        targetType: "monitor",
        targetId: m.id,
        meta: ctx.meta,
      });
    }
    return updated;
  });
  for (const m of rows) await syncScheduleSafely(m);
  if (rows.length) await invalidateStatusPages({ monitorIds: rows.map((m) => m.id) });
  const all = await db()
    .select()
    .from(monitors)
    .where(and(eq(monitors.organizationId, ctx.org.id), inArray(monitors.id, ids)));
  return toMonitorViews(all);
}
