import { and, inArray, lt, or, eq } from "drizzle-orm";
import { db } from "../db/client";
import { notificationDeliveries } from "../db/schema";
import { sharedQueue } from "../monitors/schedule";
import { NOTIFY_QUEUE } from "../jobs/catalog";
import { env } from "../env";
import { enqueueDeliveries, retryDelayMs } from "./queue";

/**
 * Re-enqueues deliveries still undelivered after `olderThanMs` (default 5 minutes), and at once
 * any whose sender's lease ran out (the sender died; BullMQ may have given its job up after
 * repeated stalls). Jobs that still exist in Redis are untouched (same job id), so this only
 * recreates what was lost — a flushed or failed-over Redis loses no alert.
 */
export async function sweepDeliveries(opts: { olderThanMs?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - (opts.olderThanMs ?? 5 * 60_000));
  const rows = await db()
    .select({ id: notificationDeliveries.id })
    .from(notificationDeliveries)
    .where(
      or(
        and(eq(notificationDeliveries.status, "pending"), lt(notificationDeliveries.createdAt, cutoff)),
        // A row being sent right now is left to its sender until the lease runs out.
        and(eq(notificationDeliveries.status, "sending"), lt(notificationDeliveries.lockedUntil, now)),
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
 * keeps that time, a later one goes now. A row a sender holds is looked at again once that
 * sender's send has timed out at the latest: sent then if the sender recorded a failure (its
 * retry job went with Redis), left alone if it was delivered, re-checked at the lease's end if
 * the sender died (the claim decides each case). Jobs still in
 * Redis are untouched (same id), so several workers may run this at once.
 */
export async function requeueAfterRedisLoss(opts: { windowMs?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const windowMs = opts.windowMs ?? 25_000;
  const rows = await db()
    .select({
      id: notificationDeliveries.id,
      status: notificationDeliveries.status,
      attempts: notificationDeliveries.attempts,
      updatedAt: notificationDeliveries.updatedAt,
      lockedUntil: notificationDeliveries.lockedUntil,
    })
    .from(notificationDeliveries)
    .where(inArray(notificationDeliveries.status, ["pending", "sending"]))
    .limit(50_000);
  const q = sharedQueue(NOTIFY_QUEUE);
  const jobs: { id: string; delayMs: number }[] = [];
  for (const r of rows) {
    const job = await q.getJob(r.id);
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove().catch(() => undefined);
    if (r.status === "sending") {
      // A live sender finishes within the send timeout; its job (and with it a retry it asks for) was lost.
      jobs.push({ id: r.id, delayMs: Math.min(env().NOTIFY_TIMEOUT_MS + 1000, Math.max(0, (r.lockedUntil?.getTime() ?? 0) + 1000 - now.getTime())) });
      continue;
    }
    const dueIn = r.attempts > 0 ? r.updatedAt.getTime() + retryDelayMs(r.attempts, undefined, () => 0) - now.getTime() : 0;
    jobs.push({ id: r.id, delayMs: dueIn > 0 && dueIn <= windowMs ? dueIn : 0 });
  }
  await enqueueDeliveries(jobs);
  return rows.length;
}
