import { z } from "zod";

/**
 * Every background job: queue, name, payload schema and retry policy in one place.
 * Job ids are deterministic where a retry must not do the work twice, and contain no ":".
 */
export const jobs = {
  purgeExpired: {
    queue: "maintenance",
    name: "purge-expired",
    payload: z.object({}).strict(),
    everyMs: 60 * 60 * 1000,
    attempts: 3,
  },
} as const;

export type JobKey = keyof typeof jobs;
export const QUEUES = ["maintenance"] as const;
