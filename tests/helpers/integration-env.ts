import { afterAll, inject } from "vitest";
import { closeDb } from "../../src/server/db/client";
import { closeRedis } from "../../src/server/redis";
import { closeQueues } from "../../src/server/monitors/schedule";
import { TEST_SECRETS } from "./test-secrets";

(process.env as Record<string, string>).NODE_ENV = "test";
process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_PREFIX = inject("redisPrefix");
process.env.LOG_LEVEL = "silent";
// Tests target servers they start on loopback.
process.env.ALLOW_PRIVATE_TARGETS = "true";
// Files share one Redis and sign up from the factories' one IP; sign-up-throttle.test.ts sets its own limit.
process.env.SIGNUP_LIMIT_PER_IP = "10000";
Object.assign(process.env, TEST_SECRETS);
// Files share one database: a worker one file spawns must not run the whole-database passes
// (dropping old partitions, purging deleted tenants, applying plans) under another file's
// feet. The files that test those passes call them directly, on their own tenants.
process.env.MAINTENANCE_JOBS_OFF = "retention,privacy-purge,billing-enforce,billing-reconcile";
// Notification retries in milliseconds rather than minutes.
process.env.NOTIFY_RETRY_BASE_MS = "20";
process.env.NOTIFY_TIMEOUT_MS = "2000";

afterAll(async () => {
  await closeQueues();
  await closeDb();
  await closeRedis();
});
