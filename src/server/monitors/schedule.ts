import { Queue } from "bullmq";
import type { Monitor } from "../db/schema";
import { env } from "../env";
import { CHECKS_QUEUE, JOBS, jobOptions, type JobPayload } from "../jobs/catalog";
import { log } from "../log";
import { bullKeyPrefix } from "../jobs/bull-prefix";
import { isCluster, workerConnection, type RedisClient } from "../redis";

/**
 * Checks are scheduled with BullMQ job schedulers: one per monitor per region, on the
 * region's queue `checks-<region>`. Each scheduler has a stable offset inside its interval
 * (derived from the monitor id), so 10,000 monitors at 60 s spread over the minute instead
 * of bursting at :00. Job data carries only ids and the config version — never secrets.
 */
export type CheckJob = JobPayload<"check">;

type Holder = { conn?: RedisClient; queues: Map<string, Queue> };
const holder: Holder = ((globalThis as unknown as { __perigeeQueues?: Holder }).__perigeeQueues ??= { queues: new Map() });

export const queueName = (region: string) => `${CHECKS_QUEUE}-${region}`;
export const schedulerId = (monitorId: string) => `mon-${monitorId}`;
/** BullMQ's prefix for `queue` (hash-tagged per queue on a Redis Cluster: jobs/bull-prefix.ts). */
export const bullPrefix = (queue: string) => bullKeyPrefix(env().REDIS_PREFIX, queue, isCluster());

export function checkQueue(region: string): Queue {
  return sharedQueue(queueName(region));
}

/** A producer-side queue on the process's shared connection (closed by closeQueues). */
export function sharedQueue(name: string): Queue {
  let q = holder.queues.get(name);
  if (!q) {
    holder.conn ??= workerConnection();
    q = new Queue(name, { connection: holder.conn, prefix: bullPrefix(name) });
    holder.queues.set(name, q);
  }
  return q;
}

export async function closeQueues(): Promise<void> {
  await Promise.allSettled([...holder.queues.values()].map((q) => q.close()));
  holder.queues.clear();
  holder.conn?.disconnect();
  holder.conn = undefined;
}

/** Stable position of a monitor inside its interval (FNV-1a of the id). */
export function offsetFor(monitorId: string, intervalMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < monitorId.length; i++) {
    h ^= monitorId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % intervalMs;
}

/** Makes the schedulers match the monitor: one per region while active, none when paused or deleted. */
export async function syncSchedule(m: Pick<Monitor, "id" | "type" | "intervalSeconds" | "regions" | "paused" | "version">, previousRegions: string[] = [], deleted = false): Promise<void> {
  const active = !deleted && !m.paused && m.type !== "heartbeat";
  const regions = active ? m.regions : [];
  const stale = [...new Set([...previousRegions, ...m.regions])].filter((r) => !regions.includes(r));
  const intervalMs = m.intervalSeconds * 1000;
  await Promise.all([
    ...regions.map((region) =>
      checkQueue(region).upsertJobScheduler(
        schedulerId(m.id),
        { every: intervalMs, offset: offsetFor(m.id, intervalMs) },
        { name: JOBS.check.name, data: { monitorId: m.id, version: m.version, region } satisfies CheckJob, opts: jobOptions("check") },
      ),
    ),
    ...stale.map((region) => checkQueue(region).removeJobScheduler(schedulerId(m.id))),
  ]);
}

/** After a commit: scheduling problems are logged, and the worker's reconciler repairs them. */
export async function syncScheduleSafely(...args: Parameters<typeof syncSchedule>): Promise<void> {
  try {
    await syncSchedule(...args);
  } catch (e) {
    log.error("schedule sync failed; the reconciler will retry", { monitorId: args[0].id, err: e });
  }
}
