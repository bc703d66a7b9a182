import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { db } from "../db/client";
import { statusNoticeDeliveries, statusNotices, statusPages } from "../db/schema";
import { JOBS, NOTIFY_QUEUE, jobOptions, type JobPayload } from "../jobs/catalog";
import { log } from "../log";
import { sharedQueue } from "../monitors/schedule";

/**
 * The page outbox's consumer, shaped like the monitor alerts' (notifications/outbox.ts):
 * status_notices rows are claimed with SKIP LOCKED (any number of workers drain at once),
 * each becomes one status_notice_deliveries row per confirmed subscriber who follows one of
 * its components — unique per (notice, subscriber), so nobody is told twice — and each
 * delivery one BullMQ job whose id is the delivery id. A crash before commit leaves the
 * notice for the next pass; after commit, pending deliveries for the sweeper.
 */
export async function drainNotices(opts: { limit?: number } = {}): Promise<{ notices: number; deliveries: number }> {
  const limit = opts.limit ?? 200;
  const created: string[] = [];
  const notices = await db().transaction(async (tx) => {
    const rows = await tx
      .select({ id: statusNotices.id, organizationId: statusNotices.organizationId, pageId: statusNotices.pageId, componentIds: statusNotices.componentIds })
      .from(statusNotices)
      .where(isNull(statusNotices.processedAt))
      .orderBy(statusNotices.id)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return 0;
    const pages = await tx
      .select({ id: statusPages.id, published: statusPages.published })
      .from(statusPages)
      .where(
        inArray(
          statusPages.id,
          rows.map((r) => r.pageId),
        ),
      );
    const published = new Set(pages.filter((p) => p.published).map((p) => p.id));
    for (const n of rows) {
      // An unpublished page tells nobody; its notice is consumed all the same.
      if (!published.has(n.pageId)) continue;
      // Subscribers who chose components hear of notices naming one of them; a notice naming
      // none concerns the whole page. (UUIDs only: safe in an array literal.)
      const components = `{${n.componentIds.join(",")}}`;
      const ins = await tx.execute<{ id: string }>(sql`
        insert into status_notice_deliveries (organization_id, notice_id, subscriber_id)
        select ${n.organizationId}, ${n.id}, s.id from status_subscribers s
        where s.page_id = ${n.pageId} and s.organization_id = ${n.organizationId} and s.confirmed_at is not null
          and (cardinality(s.component_ids) = 0 or cardinality(${components}::uuid[]) = 0 or s.component_ids && ${components}::uuid[])
        on conflict (notice_id, subscriber_id) do nothing
        returning id`);
      created.push(...ins.rows.map((r) => r.id));
    }
    await tx
      .update(statusNotices)
      .set({ processedAt: new Date() })
      .where(
        inArray(
          statusNotices.id,
          rows.map((r) => r.id),
        ),
      );
    return rows.length;
  });
  if (created.length) {
    try {
      await enqueueNoticeDeliveries(created);
    } catch (err) {
      // Redis may be away: the deliveries are durable and the sweeper will enqueue them.
      log.warn("could not enqueue status notices; the sweeper will retry", { count: created.length, err: (err as Error).message });
    }
  }
  return { notices, deliveries: created.length };
}

/** One job per delivery, job id = delivery id: adding one twice (drain, then sweeper) is a no-op while the job exists. */
async function enqueueNoticeDeliveries(ids: string[]): Promise<void> {
  if (!ids.length) return;
  await sharedQueue(NOTIFY_QUEUE).addBulk(
    ids.map((deliveryId) => ({ name: JOBS.statusDeliver.name, data: { deliveryId } satisfies JobPayload<"statusDeliver">, opts: { ...jobOptions("statusDeliver"), jobId: deliveryId } })),
  );
}

/**
 * Re-enqueues deliveries still unsent after `olderThanMs` (default a minute): what a flushed
 * or failed-over Redis lost. A row being sent is left to its sender until its lease runs out;
 * a job still in Redis is untouched (same id); a delivered row is never picked.
 */
export async function sweepNoticeDeliveries(opts: { olderThanMs?: number; now?: Date } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - (opts.olderThanMs ?? 60_000));
  const rows = await db()
    .select({ id: statusNoticeDeliveries.id })
    .from(statusNoticeDeliveries)
    .where(
      and(
        inArray(statusNoticeDeliveries.status, ["pending", "sending"]),
        lt(statusNoticeDeliveries.createdAt, cutoff),
        or(eq(statusNoticeDeliveries.status, "pending"), lt(statusNoticeDeliveries.lockedUntil, now)),
      ),
    )
    .limit(5000);
  // A finished job (completed or failed) would block re-adding its id: remove it first.
  const q = sharedQueue(NOTIFY_QUEUE);
  for (const r of rows) {
    const job = await q.getJob(r.id);
    if (job && ((await job.isCompleted()) || (await job.isFailed()))) await job.remove().catch(() => undefined);
  }
  await enqueueNoticeDeliveries(rows.map((r) => r.id));
  return rows.length;
}
