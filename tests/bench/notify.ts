/**
 * `npm run bench:notify` — notification latency (issue 4), printed as JSON: from an incident
 * opened (the transaction that writes the incident and its outbox row) to each receiver hit,
 * p50/p99 across N incidents (default 1,000) fanned out to 3 channels each (a signed webhook,
 * PagerDuty and Telegram, all pointed at HTTP receivers on loopback).
 *
 * The pipeline under test is the real one: a separate worker process (workers/worker.ts)
 * drains the outbox, creates deliveries, enqueues BullMQ jobs and sends. Two runs:
 *   steady — incidents opened at --rate per second (default 100/s);
 *   burst  — all N incidents opened in one go (worst case: 3·N deliveries queued at once).
 * Uses its own database and Redis prefix and removes both at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";
import { benchTenant } from "./tenant";

const { values: flags } = parseArgs({ options: { incidents: { type: "string", default: "1000" }, rate: { type: "string", default: "100" } } });
const N = Number(flags.incidents);
const RATE = Number(flags.rate);
const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : null;
};
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

async function main() {
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "bench_notify");
  const prefix = `perigee-bench-${randomBytes(4).toString("hex")}:`;
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, REDIS_PREFIX: prefix, NODE_ENV: "test", LOG_LEVEL: "warn", ALLOW_PRIVATE_TARGETS: "true" });
  const { runMigrations } = await import("../../src/server/db/migrate");
  await runMigrations(url);
  const { ensurePartitions } = await import("../../src/server/monitors/partitions");
  await ensurePartitions();
  const { db, closeDb } = await import("../../src/server/db/client");
  const { monitors, incidents } = await import("../../src/server/db/schema");
  const { recordResults } = await import("../../src/server/monitors/record-results");
  const { createChannel } = await import("../../src/server/services/channels/create");
  const { closeRedis } = await import("../../src/server/redis");
  const { closeQueues } = await import("../../src/server/monitors/schedule");
  const { inArray } = await import("drizzle-orm");

  // Receivers: record when each (monitor, channel) first arrives.
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString("utf8");
      const m = /\/monitors\/([0-9a-f-]{36})/.exec(body);
      const channel = req.url!.startsWith("/pd") ? "pagerduty" : req.url!.startsWith("/tg") ? "telegram" : "webhook";
      if (m) {
        const k = `${m[1]}|${channel}`;
        if (!hits.has(k)) hits.set(k, at);
      }
      res.writeHead(req.url!.startsWith("/pd") ? 202 : 200, { "content-type": "application/json" });
      res.end('{"ok":true,"status":"success"}');
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { orgId, ctx } = await benchTenant({ maxMonitors: 1_000_000 });
  await createChannel({ ctx, input: { name: "Webhook", type: "webhook", url: `${base}/hook`, isDefault: true } });
  await createChannel({ ctx, input: { name: "PagerDuty", type: "pagerduty", routingKey: "R0UT1NGKEY0123456789abcdefghijkl", baseUrl: `${base}/pd`, isDefault: true } });
  await createChannel({ ctx, input: { name: "Telegram", type: "telegram", botToken: "123456789:AAE_bench-token-0123456789abcdefgh", chatId: "1", baseUrl: `${base}/tg`, isDefault: true } });

  // Heartbeat monitors with a day-long period: no scheduler runs checks for them and the
  // heartbeat sweep leaves them alone, so the only events are the ones this bench causes.
  async function makeMonitors(count: number) {
    const rows = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      organizationId: orgId,
      name: `svc-${i}`,
      type: "heartbeat" as const,
      config: { graceSeconds: 60 },
      intervalSeconds: 86_400,
      timeoutMs: 1000,
      confirmations: 1,
      recoveries: 1,
      lastHeartbeatAt: new Date(),
      heartbeatGraceSeconds: 60,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await db()
        .insert(monitors)
        .values(rows.slice(i, i + 500));
    return rows.map((r) => r.id);
  }
  const downResult = { outcome: "down" as const, errorClass: "refused" as const, message: "connection refused", timings: { totalMs: 1 } };

  const worker: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "workers/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "error" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await sleep(3000);

  const recordMs: number[] = [];
  async function run(label: string, ids: string[], perSecond: number | null) {
    const started = Date.now();
    if (perSecond === null) {
      for (let i = 0; i < ids.length; i += 250) {
        const t0 = Date.now();
        await recordResults(ids.slice(i, i + 250).map((id) => ({ monitorId: id, region: "default", scheduledAt: new Date(), startedAt: new Date(), result: downResult })));
        recordMs.push(Date.now() - t0);
      }
    } else {
      const batch = Math.max(1, Math.round(perSecond / 10));
      for (let i = 0; i < ids.length; i += batch) {
        const due = started + (i / perSecond) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
        await recordResults(ids.slice(i, i + batch).map((id) => ({ monitorId: id, region: "default", scheduledAt: new Date(), startedAt: new Date(), result: downResult })));
      }
    }
    const want = ids.length * 3;
    const deadline = Date.now() + 120_000;
    const mine = () => ids.reduce((n, id) => n + (hits.has(`${id}|webhook`) ? 1 : 0) + (hits.has(`${id}|pagerduty`) ? 1 : 0) + (hits.has(`${id}|telegram`) ? 1 : 0), 0);
    while (mine() < want && Date.now() < deadline) await sleep(50);
    const opened = await db().select({ monitorId: incidents.monitorId, openedAt: incidents.openedAt }).from(incidents).where(inArray(incidents.monitorId, ids));
    const lat: number[] = [];
    const perChannel: Record<string, number[]> = { webhook: [], pagerduty: [], telegram: [] };
    for (const o of opened) {
      for (const ch of Object.keys(perChannel)) {
        const at = hits.get(`${o.monitorId}|${ch}`);
        if (at !== undefined) {
          lat.push(at - o.openedAt.getTime());
          perChannel[ch]!.push(at - o.openedAt.getTime());
        }
      }
    }
    const r = {
      incidents: opened.length,
      deliveriesExpected: want,
      delivered: lat.length,
      p50Ms: pct(lat, 0.5),
      p99Ms: pct(lat, 0.99),
      maxMs: pct(lat, 1),
      perChannelP99Ms: Object.fromEntries(Object.entries(perChannel).map(([k, v]) => [k, pct(v, 0.99)])),
      wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
    const { sql } = await import("drizzle-orm");
    const stages = await db().execute(sql`
      select percentile_cont(0.5) within group (order by extract(epoch from d.created_at - e.created_at) * 1000) as outbox_p50_ms,
             percentile_cont(0.99) within group (order by extract(epoch from d.created_at - e.created_at) * 1000) as outbox_p99_ms,
             percentile_cont(0.5) within group (order by extract(epoch from l.created_at - d.created_at) * 1000) as send_p50_ms,
             percentile_cont(0.99) within group (order by extract(epoch from l.created_at - d.created_at) * 1000) as send_p99_ms
      from notification_deliveries d join monitor_events e on e.id = d.event_id join notification_log l on l.delivery_id = d.id
      where e.monitor_id = any(${sql.param(ids)}::uuid[])`);
    Object.assign(r, { stages: stages.rows[0], ...(perSecond === null ? { engineCommitMsPer250: recordMs } : {}) });
    log(`${label}: ${JSON.stringify(r)}`);
    return r;
  }

  const out: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() },
    settings: { incidents: N, channelsPerIncident: 3, steadyRatePerSecond: RATE, notifyConcurrency: 50, outboxPollMs: 200 },
  };
  try {
    out.steady = await run(`steady ${RATE}/s`, await makeMonitors(N), RATE);
    out.burst = await run("burst", await makeMonitors(N), null);
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    server.close();
    await closeQueues();
    await closeRedis();
    await closeDb();
    await deleteRedisPrefix(prefix);
    await dropTestDatabase(BASE_DATABASE_URL, name);
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
