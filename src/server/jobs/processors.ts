import { UnrecoverableError, type Job } from "bullmq";
import { applyBillingState, enforcePlans } from "../billing/enforce";
import { reconcileBilling } from "../billing/reconcile";
import { purgeDeleted } from "../privacy/purge";
import { deleteResultsOf } from "../privacy/results";
import { runRetention } from "../privacy/retention";
import type { ResultBatcher } from "../monitors/batcher";
import { sweepHeartbeats } from "../monitors/heartbeat";
import { compactFinishedPartitions, ensurePartitions } from "../monitors/partitions";
import { reconcileSchedules } from "../monitors/reconcile";
import { executeCheckJob } from "../monitors/runner";
import { refreshUptimeSummaries } from "../monitors/uptime-summary";
import { deliver } from "../notifications/deliver";
import { DeliveryError } from "../notifications/http";
import { alertStillDownAfterMaintenance } from "../notifications/maintenance-ended";
import { queueReminders } from "../notifications/outbox";
import { purgeNotificationHistory } from "../notifications/retention";
import { sweepDeliveries } from "../notifications/sweeper";
import { purgeExpired } from "../services/maintenance/purge-expired";
import { refreshStatusSnapshots } from "../status/cache";
import { recordMaintenanceNotices } from "../status/maintenance-notices";
import { purgeStatusSubscriberData } from "../status/retention";
import { deliverNotice } from "../status/notice-deliver";
import { drainNotices, sweepNoticeDeliveries } from "../status/notify";
import { JOBS, type JobKey, type JobPayload } from "./catalog";

/** What a processor gets beside its parsed payload. The batcher is the worker's (checks only). */
export type JobContext = { job: Pick<Job, "opts" | "timestamp" | "attemptsMade">; batcher?: ResultBatcher };

type Processors = { [K in JobKey]: (payload: JobPayload<K>, ctx: JobContext) => Promise<unknown> };

/** One processor per catalog entry; a job missing here does not compile. */
const PROCESSORS: Processors = {
  async check(data, { job, batcher }) {
    if (!batcher) throw new Error("check jobs run in the worker, which stores their results in batches");
    const out = await executeCheckJob({ data, opts: job.opts, timestamp: job.timestamp });
    if (out.skipped) return { skipped: out.reason };
    // The job completes only once its result is committed.
    await batcher.add({ monitorId: data.monitorId, region: data.region, scheduledAt: out.scheduledAt, startedAt: out.startedAt, result: out.result });
    return { outcome: out.result.outcome };
  },
  async deliver({ deliveryId }) {
    const r = await deliver(deliveryId);
    if (r.status === "retry") throw r.error;
    // Held by a sender that may have died: come back when its lease ends.
    if (r.status === "not_claimed" && r.leasedForMs)
      throw new DeliveryError(`Another sender holds this delivery for ${Math.ceil(r.leasedForMs / 1000)} s more`, true, null, null, r.leasedForMs + 1000);
    if (r.status === "failed") throw new UnrecoverableError(r.error.message);
    return r.status;
  },
  async statusDeliver({ deliveryId }) {
    const r = await deliverNotice(deliveryId);
    if (r.status === "retry") throw r.error;
    if (r.status === "failed") throw new UnrecoverableError(r.error.message);
    return r.status;
  },
  purgeExpired: () => Promise.all([purgeExpired(), purgeNotificationHistory(), purgeStatusSubscriberData()]),
  partitions: () => ensurePartitions(),
  compactResults: () => compactFinishedPartitions(),
  uptimeSummaries: () => refreshUptimeSummaries(),
  reconcileSchedules: () => reconcileSchedules(),
  heartbeatSweep: () => sweepHeartbeats(),
  notificationReminders: () => queueReminders(),
  stillDownAfterMaintenance: () => alertStillDownAfterMaintenance(),
  notificationSweep: () => sweepDeliveries(),
  statusSnapshots: () => refreshStatusSnapshots(),
  statusNotices: () => drainNotices(),
  statusNoticeSweep: () => sweepNoticeDeliveries(),
  billingReconcile: () => reconcileBilling(),
  billingEnforce: () => enforcePlans(),
  billingApply: ({ organizationId }) => applyBillingState(organizationId),
  privacyPurge: () => purgeDeleted(),
  retention: () => runRetention(),
  deleteResults: ({ seqs }) => deleteResultsOf(seqs),
  statusMaintenanceNotices: () => recordMaintenanceNotices(),
};

/**
 * The BullMQ processor for one queue of the catalog: finds the job by name, parses its
 * payload (a job this version does not know, or a malformed payload, fails for good rather
 * than being retried or half-run), and runs its processor.
 */
export function dispatcher(queue: string, extra: Omit<JobContext, "job"> = {}) {
  const byName = new Map<string, JobKey>();
  for (const [key, def] of Object.entries(JOBS)) if (def.queue === queue) byName.set(def.name, key as JobKey);
  return async (job: Pick<Job, "name" | "data" | "opts" | "timestamp" | "attemptsMade">) => {
    const key = byName.get(job.name);
    if (!key) throw new UnrecoverableError(`unknown job "${job.name}" on queue ${queue}`);
    const parsed = JOBS[key].payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid ${job.name} payload: ${parsed.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ")}`);
    const run = PROCESSORS[key] as (payload: unknown, ctx: JobContext) => Promise<unknown>;
    return run(parsed.data, { ...extra, job });
  };
}
