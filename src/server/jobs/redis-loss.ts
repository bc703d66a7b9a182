import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import { and, eq, ne, sql } from "drizzle-orm";
import { db } from "../db/client";
import { monitorRegionState, monitors } from "../db/schema";
import { log } from "../log";
import { reconcileSchedules } from "../monitors/reconcile";
import { checkQueue } from "../monitors/schedule";
import { requeueAfterRedisLoss } from "../notifications/sweeper";
import { orgIsLive } from "../privacy/live";
import { redis } from "../redis";
import { sweepNoticeDeliveries } from "../status/notify";
import { JOBS, jobOptions } from "./catalog";
import { upsertMaintenanceSchedulers } from "./schedulers";

/** The sentinel, under REDIS_PREFIX (the shared client adds it). No TTL: only a loss removes it. */
const SENTINEL = "redis-epoch";
/** How often a worker looks for the sentinel (one GET). */
export const REDIS_LOSS_POLL_MS = 2_000;

/**
 * Notices, within seconds, that Redis lost its data (a FLUSHALL, a failover to an empty
 * replica, a restart without persistence) and repairs at once what lived only there: job
 * schedulers (maintenance and checks), queued and backed-off deliveries. Without it the 60 s
 * re-assert, the 5-minute reconcile and the sweepers would bring them back a minute or more
 * late. A sentinel key with a random epoch is written at start; when a poll finds it gone, the
 * worker logs once, repairs, and writes a new epoch. Several workers may repair at once: every
 * step is an upsert or a job added under a fixed id, and the delivery claim keeps a send single.
 * A repair that fails (Redis still away) leaves the sentinel unwritten, so the next poll retries.
 */
export function watchRedisLoss(maintenance: Queue, opts: { everyMs?: number } = {}): { stop(): Promise<void> } {
  const everyMs = opts.everyMs ?? REDIS_LOSS_POLL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastSeenAt = Date.now();
  let unreachable = false;
  let running: Promise<void> = redis()
    .set(SENTINEL, randomUUID(), "NX")
    .then(
      () => undefined,
      (err: unknown) => log.warn("could not write the Redis loss sentinel; retrying", { err: (err as Error).message }),
    );

  const poll = async () => {
    let present: boolean;
    try {
      present = (await redis().get(SENTINEL)) !== null;
      unreachable = false;
    } catch (err) {
      if (!unreachable) log.warn("Redis unreachable; watching for data loss when it is back", { err: (err as Error).message });
      unreachable = true;
      return;
    }
    if (present) {
      lastSeenAt = Date.now();
      return;
    }
    log.warn("Redis lost its data (the loss sentinel is gone): re-creating schedules and re-queueing undelivered notifications", { lastSeenAt: new Date(lastSeenAt).toISOString() });
    if (await repairAfterLoss(maintenance, lastSeenAt)) {
      await redis().set(SENTINEL, randomUUID());
      lastSeenAt = Date.now();
    }
  };
  const tick = () => {
    if (stopped) return;
    running = poll()
      .catch((err: unknown) => log.error("Redis loss watch failed", { err }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs).unref();
      });
  };
  timer = setTimeout(tick, everyMs).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Runs every repair; true when all of them succeeded. */
async function repairAfterLoss(maintenance: Queue, lostAfter: number): Promise<boolean> {
  const started = Date.now();
  const steps: [string, () => Promise<unknown>][] = [
    ["maintenance schedulers", () => upsertMaintenanceSchedulers(maintenance)],
    ["check schedules", () => reconcileSchedules()],
    ["missed check slots", () => runMissedSlots(lostAfter)],
    ["notification deliveries", () => requeueAfterRedisLoss()],
    ["status notice deliveries", () => sweepNoticeDeliveries({ olderThanMs: 0 })],
  ];
  const done: Record<string, unknown> = {};
  let ok = true;
  for (const [name, run] of steps) {
    try {
      done[name] = await run();
    } catch (err) {
      ok = false;
      log.error("repair after Redis loss failed; retrying at the next poll", { step: name, err: (err as Error).message });
    }
  }
  if (ok) log.info("repaired after Redis loss", { ...done, ms: Date.now() - started });
  return ok;
}

/**
 * Re-created schedulers keep each monitor's offset, so their next slot is at most one interval
 * away — but a slot that fell between the loss and the repair would be skipped, a gap of two
 * intervals. Those slots run now (as of their own scheduled time, so lateness shows the delay).
 * A slot that did run just before the loss is stored once: results are unique per slot.
 */
async function runMissedSlots(lostAfter: number, now = Date.now()): Promise<number> {
  const rows = await db()
    .select({ id: monitors.id, version: monitors.version, intervalSeconds: monitors.intervalSeconds, region: monitorRegionState.region, last: monitorRegionState.lastCheckedAt })
    .from(monitors)
    .innerJoin(monitorRegionState, eq(monitorRegionState.monitorId, monitors.id))
    .where(and(eq(monitors.paused, false), ne(monitors.type, "heartbeat"), sql`${monitorRegionState.region} = any(${monitors.regions})`, orgIsLive(monitors.organizationId)));
  const byRegion = new Map<string, Parameters<Queue["addBulk"]>[0]>();
  for (const r of rows) {
    if (!r.last) continue;
    const every = r.intervalSeconds * 1000;
    // Slots due since the sentinel was last seen (and a few seconds before, for jobs still waiting then).
    const from = lostAfter - 5_000;
    let slot = r.last.getTime() + every;
    if (slot <= from) slot += Math.ceil((from - slot + 1) / every) * every;
    for (; slot <= now; slot += every) {
      const jobs = byRegion.get(r.region) ?? [];
      jobs.push({
        name: JOBS.check.name,
        data: { monitorId: r.id, version: r.version, region: r.region },
        opts: { ...jobOptions("check"), jobId: `missed-${r.id}-${r.region}-${slot}`, timestamp: slot },
      });
      byRegion.set(r.region, jobs);
    }
  }
  let n = 0;
  for (const [region, jobs] of byRegion) {
    await checkQueue(region).addBulk(jobs);
    n += jobs.length;
  }
  return n;
}
