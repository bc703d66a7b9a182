import { and, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { syncScheduleSafely } from "../../monitors/schedule";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";
import { getMonitorOrThrow } from "./internal";

/** Deletes monitors with their incidents, events and failure messages (cascade). Raw results age out with their partitions. */
export async function deleteMonitors({ ctx, monitorIds }: { ctx: Ctx; monitorIds: string[] }): Promise<{ deleted: number }> {
  requirePermission(ctx, "monitors:write");
  const ids = [...new Set(monitorIds)];
  const gone = await db().transaction(async (tx) => {
    for (const id of ids) await getMonitorOrThrow(tx, ctx.org.id, id, { forUpdate: true });
    const rows = await tx
      .delete(monitors)
      .where(and(eq(monitors.organizationId, ctx.org.id), inArray(monitors.id, ids)))
      .returning();
    for (const m of rows) {
      await recordAudit(tx, {
        organizationId: ctx.org.id,
        actorUserId: ctx.actor.userId,
        action: "monitor.deleted",
        targetType: "monitor",
        targetId: m.id,
        metadata: { name: m.name },
        meta: ctx.meta,
      });
    }
    return rows;
  });
  for (const m of gone) await syncScheduleSafely(m, m.regions, true);
  // Their components went with them (cascade): the organization's pages are rebuilt.
  if (gone.length) await invalidateStatusPages({ organizationId: ctx.org.id });
  return { deleted: gone.length };
}
