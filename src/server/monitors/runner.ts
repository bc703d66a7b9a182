import { and, inArray } from "drizzle-orm";
import type { Job } from "bullmq";
import { db } from "../db/client";
import { monitors, type Monitor } from "../db/schema";
import { env } from "../env";
import { runCheck } from "../checks/run-check";
import type { CheckResult, ExecutableConfig } from "../checks/types";
import { toExecutable } from "./config";
import { orgIsLive } from "../privacy/live";
import type { CheckJob } from "./schedule";
import { scheduledAtOf } from "../probes/slot";
import { withCheckLock } from "./check-lock";

type Cached = { version: number; monitor: Monitor; exec: ExecutableConfig | null; at: number };
const cache = new Map<string, Cached>();
const CACHE_MS = 5 * 60 * 1000;

/** Cache misses asked for in the current event-loop turn, read together in one query. */
type Waiter = { resolve: (c: Cached | null) => void; reject: (e: unknown) => void };
let misses = new Map<string, Waiter[]>();

async function readMisses(ids: Map<string, Waiter[]>): Promise<void> {
  try {
    // A deleted organization's monitor reads as deleted: a job queued before the deletion runs nothing.
    const rows = await db()
      .select()
      .from(monitors)
      .where(and(inArray(monitors.id, [...ids.keys()]), orgIsLive(monitors.organizationId)));
    const found = new Map(rows.map((m) => [m.id, m]));
    for (const [id, waiters] of ids) {
      const m = found.get(id);
      let entry: Cached | null = null;
      if (m) cache.set(id, (entry = { version: m.version, monitor: m, exec: toExecutable(m), at: Date.now() }));
      else cache.delete(id);
      waiters.forEach((w) => w.resolve(entry));
    }
  } catch (e) {
    for (const waiters of ids.values()) waiters.forEach((w) => w.reject(e));
  }
}

/**
 * Monitor config by id, cached per process; the job's version says when the copy is stale.
 * Misses are read together (a restart's first minute misses for every monitor, and one query
 * per check there queued hundreds of checks behind the connection pool).
 */
export function loadForCheck(monitorId: string, version: number): Promise<Cached | null> {
  const hit = cache.get(monitorId);
  if (hit && hit.version >= version && Date.now() - hit.at < CACHE_MS) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    if (misses.size === 0)
      setImmediate(() => {
        const batch = misses;
        misses = new Map();
        void readMisses(batch);
      });
    const waiters = misses.get(monitorId);
    if (waiters) waiters.push({ resolve, reject });
    else misses.set(monitorId, [{ resolve, reject }]);
  });
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
