/**
 * Before web and worker start: a valid environment, reachable Postgres and Redis (with one
 * clear paragraph when not), the database created if missing, migrations applied.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { EnvError, env } from "../src/server/env";
import { runMigrations } from "../src/server/db/migrate";
import { closeDb } from "../src/server/db/client";
import { ensurePartitions } from "../src/server/monitors/partitions";

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

async function ensureDatabase(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.end();
    return null;
  } catch (e) {
    const err = e as { code?: string; message: string };
    await c.end().catch(() => undefined);
    if (err.code !== "3D000") return err.message;
    // Database missing: create it (first run).
    const name = new URL(url).pathname.slice(1);
    const adminUrl = new URL(url);
    adminUrl.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
      await admin.query(`create database "${name.replace(/"/g, "")}"`);
      console.log(`[perigee] Created database "${name}".`);
      return null;
    } catch (e2) {
      return `database "${name}" does not exist and could not be created: ${(e2 as Error).message}`;
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
}

async function checkRedis(url: string): Promise<string | null> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  r.on("error", () => undefined);
  try {
    await r.connect();
    await r.ping();
    return null;
  } catch (e) {
    return (e as Error).message || "connection refused";
  } finally {
    r.disconnect();
  }
}

async function main() {
  let cfg;
  try {
    cfg = env();
  } catch (e) {
    if (e instanceof EnvError) {
      console.error(`[perigee] Cannot start: the configuration is invalid.\n${e.issues.map((i) => `  - ${i}`).join("\n")}\nSet these in .env (see .env.example) or in the environment.`);
      process.exit(1);
    }
    throw e;
  }

  const [pgErr, redisErr] = await Promise.all([ensureDatabase(cfg.DATABASE_URL), checkRedis(cfg.REDIS_URL)]);
  if (pgErr) {
    console.error(
      `[perigee] Cannot reach PostgreSQL at ${redact(cfg.DATABASE_URL)} (${pgErr}). Perigee keeps all its data there. ` +
        `Start it with \`docker compose up -d postgres\` (then DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/perigee), ` +
        `or start the local service (Debian: \`pg_ctlcluster 15 main start\`; macOS: \`brew services start postgresql\`), ` +
        `or point DATABASE_URL in .env at a server you have.`,
    );
  }
  if (redisErr) {
    console.error(
      `[perigee] Cannot reach Redis at ${redact(cfg.REDIS_URL)} (${redisErr}). Perigee uses it for job queues and rate limits. ` +
        `Start it with \`docker compose up -d redis\`, or start the local service (\`redis-server --daemonize yes\`, ` +
        `or \`brew services start redis\`), or point REDIS_URL in .env at a server you have.`,
    );
  }
  if (pgErr || redisErr) process.exit(1);

  await runMigrations(cfg.DATABASE_URL);
  await ensurePartitions();
  await closeDb();
  console.log("[perigee] Database is up to date.");
}

main().catch((e) => {
  console.error(`[perigee] preflight failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
