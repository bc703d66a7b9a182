/**
 * Worker process: runs the checks of its region (WORKER_REGION, "default" unless set) from
 * BullMQ job schedulers, stores results in batches, advances monitor state, and runs the
 * maintenance jobs. Several copies may run; every job is idempotent.
 */
import { Queue, Worker } from "bullmq";
import { env } from "../src/server/env";
import { closeDb } from "../src/server/db/client";
import { closeRedis, workerConnection } from "../src/server/redis";
import { CHECKS_QUEUE, MAINTENANCE_QUEUE } from "../src/server/jobs/catalog";
import { dispatcher } from "../src/server/jobs/processors";
import { SCHEDULER_REFRESH_MS, keepSchedulersAsserted, upsertMaintenanceSchedulers } from "../src/server/jobs/schedulers";
import { watchRedisLoss } from "../src/server/jobs/redis-loss";
import { log } from "../src/server/log";
import { ResultBatcher } from "../src/server/monitors/batcher";
import { bullPrefix, closeQueues, queueName, type CheckJob } from "../src/server/monitors/schedule";
import { reconcileSchedules } from "../src/server/monitors/reconcile";
import { ensurePartitions } from "../src/server/monitors/partitions";
import { startNotifications } from "../src/server/notifications/runtime";
import { keepProbeRedisUsersAsserted } from "../src/server/services/probes/redis-access";

/** `schedulerRefreshMs`: how often the maintenance job schedulers are re-asserted (tests shorten it). */
export async function startWorker(opts: { schedulerRefreshMs?: number } = {}) {
  const e = env();
  const conns = [workerConnection(), workerConnection(), workerConnection()];
  const [queueConn, maintConn, checkConn] = conns as [ReturnType<typeof workerConnection>, ReturnType<typeof workerConnection>, ReturnType<typeof workerConnection>];

  // Checks first: a restart's backlog starts draining while the rest is set up (a missing
  // day's partition only sends rows to the default partition until ensurePartitions runs).
  const batcher = new ResultBatcher({ maxSize: 500, maxWaitMs: 50 });
  const checks = new Worker<CheckJob>(queueName(e.WORKER_REGION), dispatcher(CHECKS_QUEUE, { batcher }), {
    connection: checkConn,
    prefix: bullPrefix(queueName(e.WORKER_REGION)),
    concurrency: e.CHECK_CONCURRENCY,
    lockDuration: e.CHECK_LOCK_MS,
    stalledInterval: e.CHECK_STALLED_INTERVAL_MS,
    maxStalledCount: 3,
  });
  checks.on("failed", (job, err) => log.warn("check job failed", { monitorId: job?.data.monitorId, err: err.message }));
  checks.on("error", (err) => log.warn("check worker error", { err: err.message }));

  await ensurePartitions();

  const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: queueConn, prefix: bullPrefix(MAINTENANCE_QUEUE) });
  await upsertMaintenanceSchedulers(maintenance);
  // A flushed Redis loses the schedulers (the sweeper and reminders among them): put them back.
  const schedulers = keepSchedulersAsserted(maintenance, opts.schedulerRefreshMs ?? SCHEDULER_REFRESH_MS);
  // …and notice a loss within seconds, repairing schedules and queued notifications at once.
  const redisLoss = watchRedisLoss(maintenance);
  // Redis keeps ACL users in memory only: put the probes' users back after a restart (ADR 5).
  const probeUsers = keepProbeRedisUsersAsserted();

  const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, dispatcher(MAINTENANCE_QUEUE), { connection: maintConn, prefix: bullPrefix(MAINTENANCE_QUEUE), concurrency: 2 });
  maintenanceWorker.on("failed", (job, err) => log.error("maintenance job failed", { job: job?.name, err: err.message }));
  // E.g. a job whose keys vanished in a Redis flush; BullMQ would print a bare stack trace.
  maintenanceWorker.on("error", (err) => log.warn("maintenance worker error", { err: err.message }));

  const notifications = startNotifications();

  // Schedules may have been created while Redis was away (or Redis was flushed).
  reconcileSchedules().then(
    (r) => log.info("schedules reconciled", r),
    (err) => log.error("reconcile failed", { err }),
  );
  console.log(`[worker] ready: checks for region "${e.WORKER_REGION}" (concurrency ${e.CHECK_CONCURRENCY}), maintenance jobs scheduled, notifications on`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Finish running checks, store their results, then let go of connections.
      await schedulers.stop();
      await redisLoss.stop();
      probeUsers.stop();
      await checks.close();
      await batcher.flush();
      await notifications.stop();
      await maintenanceWorker.close();
      await maintenance.close();
      await closeQueues();
      conns.forEach((c) => c.disconnect());
      await Promise.allSettled([closeDb(), closeRedis()]);
    })());
  return { stop, checks, batcher };
}

const isMain = process.argv[1] && /workers[\\/]worker\.ts$/.test(process.argv[1]);
if (isMain) {
  startWorker().then(
    ({ stop }) => {
      const onSignal = (signal: string) => {
        console.log(`[worker] ${signal}: finishing current checks…`);
        void stop().then(() => process.exit(0));
        setTimeout(() => process.exit(1), 30_000).unref();
      };
      process.on("SIGINT", () => onSignal("SIGINT"));
      process.on("SIGTERM", () => onSignal("SIGTERM"));
    },
    (err) => {
      console.error(`[worker] failed to start: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
