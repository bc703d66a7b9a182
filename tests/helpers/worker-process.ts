import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { inject } from "vitest";
import { TEST_SECRETS } from "./test-secrets";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Starts workers/worker.ts as its own process, as production runs it, on the test's database
 * and Redis prefix (unless `env` overrides them); a test adds its region, timings and log level.
 */
export function spawnWorker(env: Record<string, string>, stdio: StdioOptions = ["ignore", "ignore", "inherit"]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "workers/worker.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...TEST_SECRETS,
      NODE_ENV: "test",
      DATABASE_URL: inject("databaseUrl"),
      REDIS_PREFIX: inject("redisPrefix"),
      ALLOW_PRIVATE_TARGETS: "true",
      LOG_LEVEL: "error",
      ...env,
    },
    stdio,
  });
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
