import { existsSync, readFileSync, rmSync } from "node:fs";
import { Redis } from "ioredis";
import { billingServerPaths } from "./billing-server";
import { BASE_DATABASE_URL, BASE_REDIS_URL, dropTestDatabase } from "../helpers/test-db";

/** Stops an app server (worker first) and waits for it, so nothing queries the dropped database. */
async function stopServer(mailDir: string) {
  const pidFile = `${mailDir}.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  rmSync(pidFile, { force: true });
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

export default async function teardown() {
  const servers = [{ E2E_DB_NAME: process.env.E2E_DB_NAME!, E2E_MAIL_DIR: process.env.E2E_MAIL_DIR!, E2E_REDIS_PREFIX: process.env.E2E_REDIS_PREFIX! }, billingServerPaths()];
  await Promise.all(servers.map((s) => stopServer(s.E2E_MAIL_DIR)));
  const r = new Redis(BASE_REDIS_URL);
  for (const s of servers) {
    await dropTestDatabase(BASE_DATABASE_URL, s.E2E_DB_NAME).catch((e) => console.error("drop e2e db:", e.message));
    rmSync(s.E2E_MAIL_DIR, { recursive: true, force: true });
    const keys = await r.keys(`${s.E2E_REDIS_PREFIX}*`);
    if (keys.length) await r.del(...keys);
  }
  await r.quit();
}
