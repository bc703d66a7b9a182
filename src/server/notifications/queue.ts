import type { Job } from "bullmq";
import { env } from "../env";
import { JOBS, NOTIFY_QUEUE, jobOptions, type JobPayload } from "../jobs/catalog";
import { sharedQueue } from "../monitors/schedule";

/** Exponential backoff with jitter: base × 2^(n-1), each delay between 50 % and 100 % of that, capped at an hour. */
export function retryDelayMs(attemptsMade: number, baseMs = env().NOTIFY_RETRY_BASE_MS, random = Math.random): number {
  const ceiling = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** Worker setting: honours a receiver's Retry-After (429/503) when it asks for longer. */
export function backoffStrategy(attemptsMade: number, _type?: string, err?: Error): number {
  const ask = (err as { retryAfterMs?: number | null } | undefined)?.retryAfterMs;
  const ours = retryDelayMs(attemptsMade);
  return typeof ask === "number" && ask > ours ? Math.min(ask, 3_600_000) : ours;
}

/**
 * One job per delivery, job id = delivery id: adding the same delivery twice (the consumer,
 * then the sweeper) is a no-op while the job exists. `delayMs` holds a job back (a retry
 * re-created after a Redis loss keeps its backoff).
 */
export async function enqueueDeliveries(deliveries: { id: string; delayMs?: number }[]): Promise<Job[]> {
  if (!deliveries.length) return [];
  return sharedQueue(NOTIFY_QUEUE).addBulk(
    deliveries.map(({ id, delayMs }) => ({
      name: JOBS.deliver.name,
      data: { deliveryId: id } satisfies JobPayload<"deliver">,
      opts: { ...jobOptions("deliver"), jobId: id, ...(delayMs ? { delay: delayMs } : {}) },
    })),
  );
}
