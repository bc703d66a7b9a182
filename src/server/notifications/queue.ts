import type { Job } from "bullmq";
import { env } from "../env";
import { sharedQueue } from "../monitors/schedule";

export const NOTIFY_QUEUE = "notifications";
export const NOTIFY_JOB = "deliver";
export type DeliverJob = { deliveryId: string };

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

export function jobOptions() {
  return {
    attempts: env().NOTIFY_ATTEMPTS,
    backoff: { type: "perigee" },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 24 * 3600 },
  };
}

/**
 * One job per delivery, job id = delivery id: adding the same delivery twice (the consumer,
 * then the sweeper) is a no-op while the job exists.
 */
export async function enqueueDeliveries(ids: string[]): Promise<Job[]> {
  if (!ids.length) return [];
  return sharedQueue(NOTIFY_QUEUE).addBulk(ids.map((deliveryId) => ({ name: NOTIFY_JOB, data: { deliveryId } satisfies DeliverJob, opts: { ...jobOptions(), jobId: deliveryId } })));
}
