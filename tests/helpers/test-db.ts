import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import pg from "pg";

/** Creates an empty database next to the base URL's and returns its URL. */
export async function createTestDatabase(baseUrl: string, label: string): Promise<{ url: string; name: string }> {
  const name = `perigee_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: withDatabase(baseUrl, "postgres") });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return { url: withDatabase(baseUrl, name), name };
}

export async function dropTestDatabase(baseUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(baseUrl, "postgres") });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const BASE_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** Deletes every key under one Redis prefix (a test run's, a benchmark's, a worker's). */
export async function deleteRedisPrefix(prefix: string, redisUrl = BASE_REDIS_URL): Promise<void> {
  const r = new Redis(redisUrl);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== "0");
    // Probe ACL users made under this prefix (a worker's periodic re-assertion can race a
    // test's revoke): Redis would keep them until it restarts.
    const users = (await r.call("ACL", "LIST")) as string[];
    const ours = users.filter((u) => u.includes(`~${prefix}`)).map((u) => u.split(" ")[1]!);
    if (ours.length) await r.call("ACL", "DELUSER", ...ours);
  } finally {
    r.disconnect();
  }
}
