import { and, eq } from "drizzle-orm";
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
