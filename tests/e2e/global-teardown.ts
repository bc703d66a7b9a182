import { rmSync } from "node:fs";
import { Redis } from "ioredis";
import { BASE_DATABASE_URL, BASE_REDIS_URL, dropTestDatabase } from "../helpers/test-db";

export default async function teardown() {
  await dropTestDatabase(BASE_DATABASE_URL, process.env.E2E_DB_NAME!).catch((e) => console.error("drop e2e db:", e.message));
  rmSync(process.env.E2E_MAIL_DIR!, { recursive: true, force: true });
  const r = new Redis(BASE_REDIS_URL);
  const keys = await r.keys(`${process.env.E2E_REDIS_PREFIX}*`);
  if (keys.length) await r.del(...keys);
  await r.quit();
}
