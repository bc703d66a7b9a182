import { and, inArray, lt, or, eq } from "drizzle-orm";
import { db } from "../db/client";
import { notificationDeliveries } from "../db/schema";
import { sharedQueue } from "../monitors/schedule";
import { NOTIFY_QUEUE } from "../jobs/catalog";
import { enqueueDeliveries, retryDelayMs } from "./queue";

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
  await enqueueDeliveries(rows.map((r) => ({ id: r.id })));
  return rows.length;
}

/**
 * After Redis lost its data (jobs/redis-loss.ts): re-enqueues every undelivered delivery at
 * once, whatever its age — those waiting for a retry backoff too, whose delayed job was lost.
 * Nothing is sent later than `windowMs` from now: a retry whose earliest next attempt (the
 * last attempt's time plus the shortest backoff it could have drawn) falls within the window
 * keeps that time, a later one goes now. A row a sender holds is re-checked when its lease
 * ends (the claim decides; a live sender's finished row is then not sent again). Jobs still in
 * Redis are untouched (same id), so several workers may run this at once.
 */
export async function requeueAfterRedisLoss(opts: { windowMs?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const windowMs = opts.windowMs ?? 25_000;
  const rows = await db()
    .select({ id: notificationDeliveries.id, status: notificationDeliveries.status, attempts: notificationDeliveries.attempts, updatedAt: notificationDeliveries.updatedAt, lockedUntil: notificationDeliveries.lockedUntil })
    .from(notificationDeliveries)
    .where(inArray(notificationDeliveries.status, ["pending", "sending"]))
    .limit(50_000);
  const q = sharedQueue(NOTIFY_QUEUE);
  const jobs: { id: string; delayMs: number }[] = [];
  for (const r of rows) {
    const job = await q.getJob(r.id);
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove().catch(() => undefined);
    if (r.status === "sending") {
      jobs.push({ id: r.id, delayMs: Math.max(0, (r.lockedUntil?.getTime() ?? 0) + 1000 - now.getTime()) });
      continue;
    }
    const dueIn = r.attempts > 0 ? r.updatedAt.getTime() + retryDelayMs(r.attempts, undefined, () => 0) - now.getTime() : 0;
    jobs.push({ id: r.id, delayMs: dueIn > 0 && dueIn <= windowMs ? dueIn : 0 });
  }
  await enqueueDeliveries(jobs);
  return rows.length;
}
