import type { Job } from "bullmq";

/** The slot a scheduler job belongs to: BullMQ's iteration time plus the scheduler's offset. */
export function scheduledAtOf(job: Pick<Job, "opts" | "timestamp">): Date {
  const o = job.opts as { prevMillis?: number; repeat?: { offset?: number | null } };
  if (o.prevMillis) return new Date(o.prevMillis + (o.repeat?.offset ?? 0));
  return new Date(job.timestamp + (job.opts.delay ?? 0));
}
