import { z } from "zod";

/**
 * Every background job: queue, name, payload schema and repeat policy in one place.
 * Job ids contain no ":"; repeating jobs are BullMQ job schedulers (upserted, so several
 * workers starting at once create each only once).
 */
export const MAINTENANCE_QUEUE = "maintenance";

export const maintenanceJobs = {
  purgeExpired: { name: "purge-expired", everyMs: 60 * 60 * 1000 },
  partitions: { name: "partitions", everyMs: 60 * 60 * 1000 },
  compactResults: { name: "compact-results", everyMs: 60 * 60 * 1000 },
  uptimeSummaries: { name: "uptime-summaries", everyMs: 60 * 60 * 1000 },
  reconcileSchedules: { name: "reconcile-schedules", everyMs: 5 * 60 * 1000 },
  heartbeatSweep: { name: "heartbeat-sweep", everyMs: 5 * 1000 },
  notificationReminders: { name: "notification-reminders", everyMs: 30 * 1000 },
  /** Alerts incidents still open when their maintenance window ends (notifications/maintenance-ended.ts). */
  stillDownAfterMaintenance: { name: "still-down-after-maintenance", everyMs: 30 * 1000 },
  notificationSweep: { name: "notification-sweep", everyMs: 60 * 1000 },
} as const;

export const emptyPayload = z.object({}).strict();

export const checkJobPayload = z.object({
  monitorId: z.uuid(),
  version: z.number().int().min(1),
  region: z.string().regex(/^[a-z0-9-]{1,32}$/),
});
