import { and, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { sharedQueue, syncScheduleSafely } from "../../monitors/schedule";
import { JOBS, MAINTENANCE_QUEUE, jobOptions, type JobPayload } from "../../jobs/catalog";
import { log } from "../../log";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";
import { getMonitorOrThrow } from "./internal";

/**
 * Deletes monitors with their incidents, events and failure messages (cascade). Raw results
 * and rollups reference monitors by seq without a foreign key: a queued job deletes them in
 * batches right after (privacy/results.ts), so the answer does not wait on millions of rows;
 * the daily retention pass deletes any a lost job left behind.
 */
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
  if (gone.length) await enqueueResultsDeletion(gone.map((m) => m.seq));
  // Their components went with them (cascade): the organization's pages are rebuilt.
  if (gone.length) await invalidateStatusPages({ organizationId: ctx.org.id });
  return { deleted: gone.length };
}

async function enqueueResultsDeletion(seqs: number[]): Promise<void> {
  try {
    const q = sharedQueue(MAINTENANCE_QUEUE);
    for (let i = 0; i < seqs.length; i += 1000) {
      const part = seqs.slice(i, i + 1000);
      await q.add(JOBS.deleteResults.name, { seqs: part } satisfies JobPayload<"deleteResults">, { ...jobOptions("deleteResults"), jobId: `delete-results-${part[0]}` });
    }
  } catch (err) {
    log.warn("could not queue the deletion of deleted monitors' results; the daily retention pass deletes them", { seqs: seqs.length, err: (err as Error).message });
  }
}
