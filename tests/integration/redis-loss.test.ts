import { spawnWorker } from "../helpers/worker-process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, db } from "../../src/server/db/client";
import { monitorChannels, monitorEvents, monitors, notificationDeliveries, notificationLog } from "../../src/server/db/schema";
import { runMigrations } from "../../src/server/db/migrate";
import { MAINTENANCE_QUEUE } from "../../src/server/jobs/catalog";
import { enabledMaintenanceJobs } from "../../src/server/jobs/schedulers";
import { createChannel } from "../../src/server/services/channels/create";
import { workerConnection } from "../../src/server/redis";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";
import { until } from "../helpers/until";

/**
 * Redis loses every key (as after a FLUSHALL or a failover to an empty replica) under a running
 * worker: it notices within seconds, checks go on with no monitor skipping a slot, and a
 * notification that was waiting for a retry (its delayed job gone) goes out within 30 s.
 *
 * The worker gets a database of its own: its repair re-queues every undelivered delivery of the
 * database, which in the shared one would send other files' deliveries under their feet. Its
 * Redis prefix sits inside this run's (the run's teardown removes it); the loss is that prefix's
 * keys deleted — never a FLUSHALL, other files share this Redis.
 */
const INTERVAL_S = 8;
const prefix = `${inject("redisPrefix")}loss-${randomBytes(3).toString("hex")}:`;
let dbName = "";
let target: http.Server;
let targetUrl = "";
let rx: Receiver;
let child: ChildProcess | null = null;
const stderr: string[] = [];

beforeAll(async () => {
  const created = await createTestDatabase(BASE_DATABASE_URL, "redis_loss");
  dbName = created.name;
  await runMigrations(created.url);
  // Before this file's first query: its db() then opens on the worker's database.
  await closeDb();
  process.env.DATABASE_URL = created.url;
  target = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  rx = await startReceiver();
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await rx?.close();
  target?.closeAllConnections();
  await new Promise((r) => target?.close(r));
  await deleteRedisPrefix(prefix);
  await closeDb();
  if (dbName) await dropTestDatabase(BASE_DATABASE_URL, dbName);
}, 60_000);

function startWorker(databaseUrl: string): ChildProcess {
  const c = spawnWorker(
    {
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: "warn",
      // A retry would wait minutes (half of 10 min at least): only the loss repair sends it within 30 s.
      NOTIFY_RETRY_BASE_MS: "600000",
      NOTIFY_TIMEOUT_MS: "3000",
    },
    ["ignore", "ignore", "pipe"],
  );
  c.stderr!.setEncoding("utf8");
  c.stderr!.on("data", (s: string) => {
    stderr.push(...s.split("\n").filter(Boolean));
    process.stderr.write(
      s
        .split("\n")
        .filter((l) => l && !l.includes('"level":"warn"'))
        .join("\n"),
    );
  });
  return c;
}

/** Actual start times of each monitor's checks: scheduled time plus recorded lateness. */
async function startsByMonitor(ids: string[]) {
  const r = await db().execute<{ id: string; started: string }>(sql`
    select m.id, (extract(epoch from r.scheduled_at) * 1000 + perigee_lateness_ms(r.lateness))::bigint as started
    from check_results r join monitors m on m.seq = r.monitor_seq
    where m.id = any(${sql.param(ids)}::uuid[]) order by r.scheduled_at`);
  const by = new Map<string, number[]>(ids.map((id) => [id, []]));
  for (const row of r.rows) by.get(row.id)!.push(Number(row.started));
  return by;
}

describe("the worker after Redis loses its data", () => {
  it("notices within seconds, keeps every monitor's checks going and sends a backed-off notification within 30 s", { timeout: 180_000 }, async () => {
    expect((await db().execute<{ d: string }>(sql`select current_database() as d`)).rows[0]!.d).toBe(dbName);
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/hook` } });
    const ms = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        insertMonitor(t.org.id, { name: `M${i}`, intervalSeconds: INTERVAL_S, config: { url: targetUrl, method: "GET", expectedStatus: [{ from: 200, to: 299 }] } }),
      ),
    );
    const ids = ms.map((m) => m.id);
    await db().insert(monitorChannels).values({ monitorId: ms[0]!.id, channelId: ch.id });
    await db().update(monitors).set({ customChannels: true }).where(eq(monitors.id, ms[0]!.id));
    // The receiver refuses the first attempt: the delivery then waits for a retry minutes away.
    rx.script({ status: 503, body: "busy" });
    const [e] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: ms[0]!.id, kind: "down", fromState: "UP", toState: "DOWN", payload: {} }).returning();

    child = startWorker(process.env.DATABASE_URL!);
    const conn = workerConnection();
    const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: conn, prefix: `${prefix}bull` });
    try {
      const [d] = await until(async () => {
        const rows = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, e!.id));
        return rows[0]?.status === "pending" && rows[0].attempts === 1 ? rows : null;
      }, 60_000);
      expect(rx.requests).toHaveLength(1);
      // Every monitor checked twice at its interval: the schedules run.
      await until(async () => [...(await startsByMonitor(ids)).values()].every((s) => s.length >= 2), 60_000);
      // The watcher's sentinel is written by now (at start), so the loss below is a loss.
      await until(async () => (await conn.get(`${prefix}redis-epoch`)) !== null, 10_000);

      // Lose Redis just before a monitor's next slot, so at least one slot falls between the loss and
      // its repair (the others' slots land there by chance): it must be run, not skipped.
      const last = Math.max(...(await startsByMonitor([ids[0]!])).get(ids[0]!)!);
      const next = last + INTERVAL_S * 1000 * Math.max(1, Math.ceil((Date.now() + 1000 - last) / (INTERVAL_S * 1000)));
      await new Promise((r) => setTimeout(r, Math.max(0, next - 300 - Date.now())));
      const lostAt = Date.now();
      await deleteRedisPrefix(prefix);

      // Noticed within a few seconds (one poll every 2 s), and logged once.
      const noticed = await until(async () => stderr.find((l) => l.includes("Redis lost its data")), 15_000);
      const noticedAt = Date.parse((JSON.parse(noticed) as { t: string }).t);
      expect(noticedAt - lostAt).toBeLessThan(8_000);
      const expected = enabledMaintenanceJobs()
        .map(([, j]) => j.name)
        .sort();
      await until(async () => JSON.stringify((await maintenance.getJobSchedulers()).map((s) => s.key).sort()) === JSON.stringify(expected), 15_000);

      // The retry that lost its delayed job is sent within 30 s of the loss, with the same webhook-id.
      await until(async () => rx.requests.length >= 2, 40_000);
      expect(rx.requests[1]!.at - lostAt).toBeLessThan(30_000);
      expect(rx.requests.map((r) => r.headers["webhook-id"])).toEqual([d!.id, d!.id]);
      await until(async () => (await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.id, d!.id)))[0]?.status === "delivered", 10_000);
      expect(
        await db().select({ attempt: notificationLog.attempt, status: notificationLog.status }).from(notificationLog).where(eq(notificationLog.deliveryId, d!.id)).orderBy(notificationLog.attempt),
      ).toEqual([
        { attempt: 1, status: "retrying" },
        { attempt: 2, status: "delivered" },
      ]);

      // Checks went on: across the loss, no monitor waited more than one interval (plus slack
      // for detection and a loaded machine) between two checks — no slot was skipped.
      const end = Date.now() + 3 * INTERVAL_S * 1000;
      await until(async () => Date.now() > end, 4 * INTERVAL_S * 1000);
      const starts = await startsByMonitor(ids);
      for (const [id, s] of starts) {
        const around = s.filter((x) => x >= lostAt - 2 * INTERVAL_S * 1000);
        const gaps = around.slice(1).map((x, i) => x - around[i]!);
        expect(around.at(-1)!, `monitor ${id} checked after the loss`).toBeGreaterThan(lostAt + INTERVAL_S * 1000);
        expect(Math.max(...gaps), `monitor ${id}: ${gaps.join(", ")} ms`).toBeLessThan(INTERVAL_S * 1000 + 6_000);
      }
      expect(stderr.filter((l) => l.includes("Redis lost its data"))).toHaveLength(1);
    } catch (err) {
      process.stderr.write(`worker log:\n${stderr.join("\n")}\n`);
      throw err;
    } finally {
      await maintenance.close();
      conn.disconnect();
    }
  });
});
