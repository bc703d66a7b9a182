import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { runMigrations } from "../../src/server/db/migrate";
import { TEST_SECRETS } from "./test-secrets";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "./test-db";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisPrefix: string;
  }
}

/** One migrated database and one Redis key prefix per test run; both removed afterwards. */
export default async function setup(project: TestProject) {
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "test");
  await runMigrations(url);
  await createPartitions(url);
  const redisPrefix = `perigee-test-${randomBytes(4).toString("hex")}:`;
  project.provide("databaseUrl", url);
  project.provide("redisPrefix", redisPrefix);

  return async () => {
    await dropTestDatabase(BASE_DATABASE_URL, name);
    await deleteRedisPrefix(redisPrefix);
  };
}

/** Today's results partitions, created as the worker would, through the same code. */
async function createPartitions(url: string) {
  const saved = { ...process.env };
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, NODE_ENV: "test" });
  const { ensurePartitions } = await import("../../src/server/monitors/partitions");
  const { closeDb } = await import("../../src/server/db/client");
  await ensurePartitions();
  await closeDb();
  process.env = saved;
}
