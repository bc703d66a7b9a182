import { sql } from "drizzle-orm";
import { db } from "../db/client";
import { redis } from "../redis";

export async function checkHealth(): Promise<{ ok: boolean; db: boolean; redis: boolean }> {
  const [dbOk, redisOk] = await Promise.all([
    db()
      .execute(sql`select 1`)
      .then(
        () => true,
        () => false,
      ),
    redis()
      .ping()
      .then(
        (r) => r === "PONG",
        () => false,
      ),
  ]);
  return { ok: dbOk && redisOk, db: dbOk, redis: redisOk };
}
