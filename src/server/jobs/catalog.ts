import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { env } from "../env";

/**
 * Every BullMQ job in one place: its queue, name, payload schema, retry policy and how long
 * finished jobs are kept, and for maintenance jobs how often they repeat. Producers type
 * their payloads from the schema; jobs/processors.ts holds one processor per entry (the type
 * requires it) and parses the payload before running it. Job ids contain no ":"; repeating
 * jobs are BullMQ job schedulers (upserted, so several workers starting at once create each
 * only once).
 */

/** Checks run on one queue per region: `checks-<region>` (monitors/schedule.ts). */
export const CHECKS_QUEUE = "checks";
export const NOTIFY_QUEUE = "notifications";
export const MAINTENANCE_QUEUE = "maintenance";

type JobDef = {
  queue: string;
  name: string;
  payload: z.ZodType;
  /** Read when a job is added: attempts may come from the environment. */
  retry: () => Pick<JobsOptions, "attempts" | "backoff">;
  keep: Pick<JobsOptions, "removeOnComplete" | "removeOnFail">;
  /** Maintenance jobs: a job scheduler adds one this often. */
  everyMs?: number;
};

const emptyPayload = z.object({}).strict();
const once = () => ({ attempts: 1 });
const HOUR = 60 * 60 * 1000;

/** A maintenance job: no payload; not retried (it runs again at its next interval). */
const maintenance = (name: string, everyMs: number) =>
  ({ queue: MAINTENANCE_QUEUE, name, payload: emptyPayload, retry: once, keep: { removeOnComplete: 50, removeOnFail: 200 }, everyMs }) satisfies JobDef;

export const JOBS = {
  /**
   * One check of a monitor from a region, added by the monitor's job scheduler. Not retried:
   * the next interval is the retry; a crashed worker's check is re-run by BullMQ's stalled-job
   * recovery. Carries only ids and the config version — never secrets.
   */
  check: {
    queue: CHECKS_QUEUE,
    name: "check",
    payload: z.object({ monitorId: z.uuid(), version: z.number().int().min(1), region: z.string().regex(/^[a-z0-9-]{1,32}$/) }),
    retry: once,
    keep: { removeOnComplete: true, removeOnFail: 100 },
  },
  /**
   * Sends one notification delivery; job id = delivery id. Retried with exponential backoff
   * that honours the receiver's Retry-After (notifications/queue.ts, "perigee" strategy).
   */
  deliver: {
    queue: NOTIFY_QUEUE,
    name: "deliver",
    payload: z.object({ deliveryId: z.uuid() }).strict(),
    retry: () => ({ attempts: env().NOTIFY_ATTEMPTS, backoff: { type: "perigee" } }),
    keep: { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 24 * 3600 } },
  },
  /**
   * Sends one delivery of a status-page notice to a subscriber (mail or signed webhook); job
   * id = delivery id. Retried like alert deliveries (status/notice-deliver.ts).
   */
  statusDeliver: {
    queue: NOTIFY_QUEUE,
    name: "status-deliver",
    payload: z.object({ deliveryId: z.uuid() }).strict(),
    retry: () => ({ attempts: env().NOTIFY_ATTEMPTS, backoff: { type: "perigee" } }),
    keep: { removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 24 * 3600 } },
  },
  purgeExpired: maintenance("purge-expired", HOUR),
  partitions: maintenance("partitions", HOUR),
  compactResults: maintenance("compact-results", HOUR),
  uptimeSummaries: maintenance("uptime-summaries", HOUR),
  reconcileSchedules: maintenance("reconcile-schedules", 5 * 60 * 1000),
  heartbeatSweep: maintenance("heartbeat-sweep", 5 * 1000),
  notificationReminders: maintenance("notification-reminders", 30 * 1000),
  /** Alerts incidents still open when their maintenance window ends (notifications/maintenance-ended.ts). */
  stillDownAfterMaintenance: maintenance("still-down-after-maintenance", 30 * 1000),
  notificationSweep: maintenance("notification-sweep", 60 * 1000),
  /** Rebuilds status-page snapshots marked stale, and every page about once a minute (status/cache.ts). */
  statusSnapshots: maintenance("status-snapshots", 2 * 1000),
  /** Turns status-page notices into deliveries (status/notify.ts). */
  statusNotices: maintenance("status-notices", 2 * 1000),
  /** Re-enqueues status-page deliveries a Redis loss dropped. */
  statusNoticeSweep: maintenance("status-notice-sweep", 60 * 1000),
  /** Records maintenance started/ended notices once each (status/maintenance-notices.ts). */
  statusMaintenanceNotices: maintenance("status-maintenance-notices", 30 * 1000),
  /** Compares every paying organization with Stripe and repairs drift (billing/reconcile.ts). */
  billingReconcile: maintenance("billing-reconcile", 24 * HOUR),
  /** Applies the plan in force to monitors and pages: grace ends, period ends (billing/enforce.ts). */
  billingEnforce: maintenance("billing-enforce", HOUR),
  /**
   * After a Stripe webhook changed an organization's subscription: its past_due email and the
   * enforcement of its plan (billing/enforce.ts applyBillingState), off the webhook's answer.
   * Job id = the Stripe event id. Idempotent; the hourly billingEnforce catches a lost one.
   */
  billingApply: {
    queue: MAINTENANCE_QUEUE,
    name: "billing-apply",
    payload: z.object({ organizationId: z.uuid() }).strict(),
    retry: () => ({ attempts: 5, backoff: { type: "exponential", delay: 10_000 } }),
    keep: { removeOnComplete: 200, removeOnFail: 500 },
  },
  /** Purges organizations and accounts past their erasure grace (privacy/purge.ts). */
  privacyPurge: maintenance("privacy-purge", HOUR),
  /** Deletes what is past its retention (privacy/retention.ts). */
  retention: maintenance("retention", 24 * HOUR),
  /**
   * Deletes the raw results and rollups of deleted monitors in batches (privacy/results.ts), so
   * deleting a monitor answers at once; job id = the first seq. The daily retention pass deletes
   * any a lost job left behind.
   */
  deleteResults: {
    queue: MAINTENANCE_QUEUE,
    name: "delete-results",
    payload: z.object({ seqs: z.array(z.number().int().min(1)).min(1).max(1000) }).strict(),
    retry: () => ({ attempts: 5, backoff: { type: "exponential", delay: 30_000 } }),
    keep: { removeOnComplete: 50, removeOnFail: 200 },
  },
} as const satisfies Record<string, JobDef>;

export type JobKey = keyof typeof JOBS;
export type JobPayload<K extends JobKey> = z.infer<(typeof JOBS)[K]["payload"]>;

/** The options a producer adds a job with (plus its own jobId where it has one). */
export function jobOptions(key: JobKey): JobsOptions {
  const def: JobDef = JOBS[key];
  return { ...def.retry(), ...def.keep };
}

/** The maintenance jobs, keyed as in JOBS (each is a job scheduler on MAINTENANCE_QUEUE). */
export const maintenanceJobs = Object.fromEntries(Object.entries(JOBS).filter(([, d]) => d.queue === MAINTENANCE_QUEUE && "everyMs" in d)) as {
  [K in JobKey as (typeof JOBS)[K] extends { everyMs: number } ? K : never]: (typeof JOBS)[K];
};
