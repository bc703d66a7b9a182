import { Worker } from "bullmq";
import { env } from "../env";
import { log } from "../log";
import { bullPrefix } from "../monitors/schedule";
import { workerConnection } from "../redis";
import { drainOutbox } from "./outbox";
import { NOTIFY_QUEUE, type JobPayload } from "../jobs/catalog";
import { dispatcher } from "../jobs/processors";
import { backoffStrategy } from "./queue";

/**
 * The worker's notification side: a loop that drains the outbox (every 100 ms, at once again
 * while there is more) and the BullMQ worker that sends deliveries with retries.
 */
export function startNotifications(opts: { pollMs?: number } = {}) {
  const pollMs = opts.pollMs ?? 100;
  const conn = workerConnection();
  const worker = new Worker<JobPayload<"deliver">>(NOTIFY_QUEUE, dispatcher(NOTIFY_QUEUE), {
    connection: conn,
    prefix: bullPrefix(NOTIFY_QUEUE),
    concurrency: env().NOTIFY_CONCURRENCY,
    settings: { backoffStrategy },
  });
  worker.on("failed", (job, err) => log.warn("notification attempt failed", { deliveryId: job?.data.deliveryId, attempt: job?.attemptsMade, err: err.message }));
  // E.g. a job whose keys vanished in a Redis flush (the delivery row stays; the sweeper re-adds it).
  worker.on("error", (err) => log.warn("notification worker error", { err: err.message }));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pump = async () => {
    try {
      for (let i = 0; i < 20 && !stopped; i++) {
        const r = await drainOutbox();
        if (r.events < 500) break;
      }
    } catch (err) {
      log.error("outbox drain failed", { err });
    }
  };
  const tick = () => {
    if (stopped) return;
    running = pump().finally(() => {
      if (!stopped) timer = setTimeout(tick, pollMs);
    });
  };
  tick();

  return {
    worker,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await worker.close();
      conn.disconnect();
    },
  };
}
