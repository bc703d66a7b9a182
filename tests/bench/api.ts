/**
 * `npm run bench:api` — REST API latency (issue 5), printed as JSON: autocannon with 50
 * concurrent connections against the production build (workers/web.ts, NODE_ENV=production)
 * for `GET /api/v1/monitors` (100 monitors, one page of 100) and
 * `GET /api/v1/monitors/{id}/uptime?window=90d` (90 days of daily rollups + today's hourly).
 * Every request is authenticated, scope-checked, rate-counted in Redis and written to the
 * access log, as in production. Builds the app first if there is no build.
 * Flags: --seconds S (per endpoint, default 15), --connections C (default 50).
 * Uses its own database and Redis prefix and removes both at the end.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";
import { benchTenant } from "./tenant";

const { values: flags } = parseArgs({ options: { seconds: { type: "string", default: "15" }, connections: { type: "string", default: "50" } } });
const SECONDS = Number(flags.seconds);
const CONNECTIONS = Number(flags.connections);
const ROOT = path.resolve(import.meta.dirname, "../..");
const PORT = 3290;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    log("no production build: running next build");
    const b = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
    if (b.status !== 0) throw new Error("next build failed");
  }
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "bench_api");
  const prefix = `perigee-bench-${randomBytes(4).toString("hex")}:`;
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, REDIS_PREFIX: prefix, NODE_ENV: "test", LOG_LEVEL: "warn" });
  const { runMigrations } = await import("../../src/server/db/migrate");
  await runMigrations(url);
  const { ensurePartitions } = await import("../../src/server/monitors/partitions");
  await ensurePartitions();
  const { db, pool, closeDb } = await import("../../src/server/db/client");
  const { monitors } = await import("../../src/server/db/schema");
  const { createApiKey } = await import("../../src/server/services/api-keys/create");
  const { refreshUptimeSummaries } = await import("../../src/server/monitors/uptime-summary");

  const { orgId, ctx } = await benchTenant({ maxMonitors: 1000 });
  const rows = Array.from({ length: 100 }, (_, i) => ({
    id: randomUUID(),
    organizationId: orgId,
    name: `service-${String(i).padStart(3, "0")}`,
    type: "http" as const,
    config: { url: `https://service-${i}.example.com/health`, method: "GET", expectedStatus: [{ from: 200, to: 299 }], timeoutMs: 5000 },
    intervalSeconds: 60,
    timeoutMs: 5000,
    paused: true,
    state: "PAUSED" as const,
  }));
  await db().insert(monitors).values(rows);
  const seqs = (await db().select({ id: monitors.id, seq: monitors.seq }).from(monitors)).map((m) => m.seq);
  const { addSample } = await import("../../src/server/monitors/histogram");
  const histOf = (n: number) => {
    const h: number[] = [];
    for (let i = 0; i < n; i++) addSample(h, 80 + ((i * 37) % 200));
    return h;
  };
  // 90 days of daily rollups and today's hourly ones, as 60 s checks produce them.
  await pool().query(
    `insert into check_rollups_daily (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
     select s, date_trunc('day', now()) - make_interval(days => d), 1440, 1438, 3, 1438 * 120, $2::int[]
     from unnest($1::int[]) s, generate_series(0, 90) d`,
    [seqs, histOf(1438)],
  );
  await pool().query(
    `insert into check_rollups_hourly (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
     select s, date_trunc('hour', now()) - make_interval(hours => h), 60, 60, 0, 60 * 120, $2::int[]
     from unnest($1::int[]) s, generate_series(0, 23) h`,
    [seqs, histOf(60)],
  );
  await refreshUptimeSummaries();
  const { key } = await createApiKey({ ctx, input: { name: "bench", scopes: ["monitors:read"] } });
  await closeDb();

  const web: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_WEB_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "workers/web.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      API_RATE_LIMIT_PER_MINUTE: "100000000",
      LOG_LEVEL: "error",
      WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? "1",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not yet
    }
    await sleep(500);
  }

  const run = (label: string, p: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      autocannon({ url: `${base}${p}`, connections: CONNECTIONS, duration: SECONDS, headers: { authorization: `Bearer ${key}` } }, (err, r) => {
        if (err) return reject(err);
        const out = {
          requestsPerSecond: Math.round(r.requests.average),
          latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
          requests: r.requests.total,
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
        };
        log(`${label}: ${JSON.stringify(out)}`);
        resolve(out);
      });
    });

  const out: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() },
    settings: { connections: CONNECTIONS, secondsPerEndpoint: SECONDS, monitors: 100, webProcesses: Number(process.env.WEB_CONCURRENCY ?? "1") },
  };
  try {
    // Warm-up: first requests compile routes and fill pg's statement caches.
    await run("warm-up", "/api/v1/monitors?limit=100").catch(() => undefined);
    out.listMonitors = await run("GET /monitors (100)", "/api/v1/monitors?limit=100");
    if (process.env.BENCH_BASELINE) out.health = await run("GET /api/health (no auth, no DB)", "/api/health");
    out.uptime90d = await run("GET /monitors/{id}/uptime?window=90d", `/api/v1/monitors/${rows[42]!.id}/uptime?window=90d`);
  } finally {
    web.kill("SIGTERM");
    await new Promise((r) => web.once("exit", r));
    await deleteRedisPrefix(prefix);
    await dropTestDatabase(BASE_DATABASE_URL, name);
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
