import { and, inArray, lt, or, eq } from "drizzle-orm";
import { db } from "../db/client";
import { notificationDeliveries } from "../db/schema";
import { sharedQueue } from "../monitors/schedule";
import { NOTIFY_QUEUE } from "../jobs/catalog";
import { enqueueDeliveries } from "./queue";

/**
 * Re-enqueues deliveries still undelivered after `olderThanMs` (default 5 minutes). Jobs
 * that still exist in Redis are untouched (same job id), so this only recreates what was
 * lost — a flushed or failed-over Redis loses no alert.
 */
export async function sweepDeliveries(opts: { olderThanMs?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - (opts.olderThanMs ?? 5 * 60_000));
  const rows = await db()
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(
      and(
        inArray(notificationDeliveries.status, ["pending", "sending"]),
        lt(notificationDeliveries.createdAt, cutoff),
        // A row being sent right now is left to its sender until the lease runs out.
        or(eq(notificationDeliveries.status, "pending"), lt(notificationDeliveries.lockedUntil, now)),
      ),
    )
    .limit(5000);
  // A finished job (completed or failed) would block re-adding its id: remove it first.
  const q = sharedQueue(NOTIFY_QUEUE);
  for (const r of rows) {
    const job = await q.getJob(r.id);
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove().catch(() => undefined);
  }
  await enqueueDeliveries(rows.map((r) => r.id));
  return rows.length;
}
