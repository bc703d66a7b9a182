/**
 * Worker process: runs background jobs from BullMQ. Several copies may run; jobs are
 * idempotent and schedulers are upserted, so nothing runs twice per tick.
 */
import { Queue, Worker } from "bullmq";
import { env } from "../src/server/env";
import { closeDb } from "../src/server/db/client";
import { closeRedis, workerConnection } from "../src/server/redis";
import { jobs } from "../src/server/jobs/catalog";
import { log } from "../src/server/log";
import { purgeExpired } from "../src/server/services/maintenance/purge-expired";

async function main() {
  const e = env();
  const prefix = `${e.REDIS_PREFIX}bull`;
  const queueConn = workerConnection();
  const workerConn = workerConnection();

  const maintenance = new Queue(jobs.purgeExpired.queue, { connection: queueConn, prefix });
  await maintenance.upsertJobScheduler(
    jobs.purgeExpired.name,
    { every: jobs.purgeExpired.everyMs },
    { name: jobs.purgeExpired.name, data: {}, opts: { attempts: jobs.purgeExpired.attempts, removeOnComplete: 100, removeOnFail: 500 } },
  );

  const worker = new Worker(
    jobs.purgeExpired.queue,
    async (job) => {
      if (job.name === jobs.purgeExpired.name) {
        jobs.purgeExpired.payload.parse(job.data);
        const r = await purgeExpired();
        log.info("purged expired rows", r);
        return r;
      }
      throw new Error(`Unknown job ${job.name}`);
    },
    { connection: workerConn, prefix, concurrency: 1 },
  );
  worker.on("failed", (job, err) => log.error("job failed", { job: job?.name, err: err.message }));
  console.log("[worker] ready: maintenance jobs scheduled");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing current jobs…`);
    await worker.close();
    await maintenance.close();
    queueConn.disconnect();
    workerConn.disconnect();
    await Promise.allSettled([closeDb(), closeRedis()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`[worker] failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
