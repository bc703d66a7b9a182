import { and, eq } from "drizzle-orm";
import type { Job } from "bullmq";
import { db } from "../db/client";
import { monitors, type Monitor } from "../db/schema";
import { env } from "../env";
import { runCheck } from "../checks/run-check";
import type { CheckResult, ExecutableConfig } from "../checks/types";
import { redis } from "../redis";
import { toExecutable } from "./config";
import { orgIsLive } from "../privacy/live";
import type { CheckJob } from "./schedule";
import { scheduledAtOf } from "../probes/slot";

type Cached = { version: number; monitor: Monitor; exec: ExecutableConfig | null; at: number };
const cache = new Map<string, Cached>();
const CACHE_MS = 5 * 60 * 1000;

/** Monitor config by id, cached per process; the job's version says when the copy is stale. */
export async function loadForCheck(monitorId: string, version: number): Promise<Cached | null> {
  const hit = cache.get(monitorId);
  if (hit && hit.version >= version && Date.now() - hit.at < CACHE_MS) return hit;
  // A deleted organization's monitor reads as deleted: a job queued before the deletion runs nothing.
  const [m] = await db()
    .select()
    .from(monitors)
    .where(and(eq(monitors.id, monitorId), orgIsLive(monitors.organizationId)))
    .limit(1);
  if (!m) {
    cache.delete(monitorId);
    return null;
  }
  const entry = { version: m.version, monitor: m, exec: toExecutable(m), at: Date.now() };
  cache.set(monitorId, entry);
  return entry;
}

/**
 * One monitor/region never runs twice at once: a Redis lock holding the slot being checked.
 * A job for the same slot (a retry after a worker died mid-check) takes the lock over; a job
 * for a later slot waits until the earlier check finishes or its lock expires.
 */
export async function withCheckLock<T>(monitorId: string, region: string, slotMs: number, ttlMs: number, fn: () => Promise<T>): Promise<T> {
  const key = `lock:check:${monitorId}:${region}`;
  const token = String(slotMs);
  const deadline = Date.now() + ttlMs;
  for (;;) {
    if (await redis().set(key, token, "PX", ttlMs, "NX")) break;
    if ((await redis().get(key)) === token) {
      await redis().set(key, token, "PX", ttlMs);
      break;
    }
    if (Date.now() > deadline) {
      await redis().set(key, token, "PX", ttlMs);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await fn();
  } finally {
    // Release only our own lock.
    await redis().eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`, 1, key, token);
  }
}

export type CheckOutcome = { skipped: true; reason: string } | { skipped: false; scheduledAt: Date; startedAt: Date; result: CheckResult; monitor: Monitor };

/** Runs the check a scheduler job stands for. Never throws for a failing target. */
export async function executeCheckJob(job: Pick<Job<CheckJob>, "data" | "opts" | "timestamp">): Promise<CheckOutcome> {
  const { monitorId, version, region } = job.data;
  const loaded = await loadForCheck(monitorId, version);
  if (!loaded) return { skipped: true, reason: "monitor deleted" };
  const m = loaded.monitor;
  if (m.paused) return { skipped: true, reason: "monitor paused" };
  if (!loaded.exec) return { skipped: true, reason: "no executor for this type" };
  const scheduledAt = scheduledAtOf(job);
  const startedAt = new Date();
  const exec = loaded.exec;
  const result = await withCheckLock(monitorId, region, scheduledAt.getTime(), m.timeoutMs + 5000, () => runCheck(exec, { allowPrivate: env().ALLOW_PRIVATE_TARGETS }));
  return { skipped: false, scheduledAt, startedAt, result, monitor: m };
}
