import type { Queue } from "bullmq";
import { env } from "../env";
import { log } from "../log";
import { jobOptions, maintenanceJobs } from "./catalog";

/** How often a worker re-asserts its job schedulers unless told otherwise. */
export const SCHEDULER_REFRESH_MS = 60_000;

/** The maintenance jobs this install runs: all but those MAINTENANCE_JOBS_OFF names. */
export function enabledMaintenanceJobs() {
  const off = new Set(env().MAINTENANCE_JOBS_OFF);
  return Object.entries(maintenanceJobs).filter(([, j]) => !off.has(j.name)) as [keyof typeof maintenanceJobs, (typeof maintenanceJobs)[keyof typeof maintenanceJobs]][];
}

/**
 * Upserts every enabled maintenance job scheduler and removes those switched off. Idempotent:
 * an existing scheduler with the same id and interval keeps its next run, so any number of
 * workers may call this at any time.
 */
export async function upsertMaintenanceSchedulers(queue: Queue): Promise<void> {
  for (const [key, j] of enabledMaintenanceJobs()) {
    await queue.upsertJobScheduler(j.name, { every: j.everyMs }, { name: j.name, data: {}, opts: jobOptions(key) });
  }
  for (const name of env().MAINTENANCE_JOBS_OFF) await queue.removeJobScheduler(name);
}

/**
 * Schedulers live only in Redis: a flush or a failover to an empty replica would stop the
 * sweeper, reminders and every other maintenance job for good. Re-asserting them on a timer
 * brings them back within `everyMs` without a restart. The timer is unref'd, and a pass
 * still waiting for Redis is not stacked on.
 */
export function keepSchedulersAsserted(queue: Queue, everyMs = SCHEDULER_REFRESH_MS): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= upsertMaintenanceSchedulers(queue)
      .catch((err: unknown) => log.warn("could not re-assert job schedulers", { err: (err as Error).message }))
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
