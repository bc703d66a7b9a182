/**
 * `npm run chaos` — faults at scale, with figures (issue 14). Not part of `npm test`.
 *
 * A real worker process (workers/worker.ts) runs `--flap` monitors (default 100) that go down
 * and come back together and `--steady` monitors (default 50) that never do, every `--interval`
 * seconds (default 15, confirmations 2), all alerting one signed webhook channel whose receiver
 * answers in 1–3 s and records every request with its webhook-id. Then, in phases:
 *   A. mass outages and recoveries while the worker is SIGKILLed every 10–25 s and restarted at once;
 *   B. Redis flushed (FLUSHDB of a Redis database number of its own, `--redis-db`, default 11:
 *      the most faithful loss — the app honours the number in REDIS_URL) while DOWN alerts are
 *      queued and some wait for a retry;
 *   C. every Postgres connection of the app's database terminated (pg_terminate_backend) a few
 *      times during an outage.
 * Each phase prints incidents, DOWN and recovery deliveries expected and received, lost,
 * duplicates (and whether the log shows the interrupted attempt behind each), delays from the
 * incident's open/close to the receiver's first hit, false DOWNs, the longest gap between two
 * checks of a monitor and the largest lateness recorded. Exits non-zero when a goal is missed.
 *
 * Uses its own database, Redis database number and prefix; removes them at the end. About 11
 * minutes by default (`--minutes-a` sets phase A's length, `--skip b,c` leaves phases out).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { BASE_DATABASE_URL, BASE_REDIS_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";
import { benchTenant } from "../bench/tenant";

const { values: flags } = parseArgs({
  options: {
    flap: { type: "string", default: "100" },
    steady: { type: "string", default: "50" },
    interval: { type: "string", default: "15" },
    "minutes-a": { type: "string", default: "4" },
    "pg-kills": { type: "string", default: "4" },
    "redis-db": { type: "string", default: "11" },
    "drain-seconds": { type: "string", default: "150" },
    skip: { type: "string", default: "" },
  },
});
const FLAP = Number(flags.flap);
const STEADY = Number(flags.steady);
const INTERVAL_MS = Number(flags.interval) * 1000;
const A_MS = Number(flags["minutes-a"]) * 60_000;
const PG_KILLS = Number(flags["pg-kills"]);
const REDIS_DB = Number(flags["redis-db"]);
const DRAIN_MS = Number(flags["drain-seconds"]) * 1000;
const skip = new Set(flags.skip!.split(",").filter(Boolean));
/** Goals: after a Redis loss a monitor waits at most one interval plus this, and every queued notification goes out within 30 s. */
const GAP_SLACK_MS = 5_000;
const LOSS_DELIVERY_MS = 30_000;

const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);
const pct = (xs: number[], q: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const secs = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
const say = (m: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

type Hit = { id: string; type: string; at: number; accepted: boolean };
type Phase = { key: string; title: string; start: number; end: number; notes: string[]; flushAt?: number; pendingAtFlush?: string[]; kills: number };

async function main() {
  const redisUrl = new URL(BASE_REDIS_URL);
  redisUrl.pathname = `/${REDIS_DB}`;
  const redis = new Redis(redisUrl.toString());
  const keys = await redis.dbsize();
  if (keys > 0) throw new Error(`Redis database ${REDIS_DB} holds ${keys} keys: chaos flushes it, so it must be one nobody uses (choose another with --redis-db)`);
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "chaos");
  const prefix = `perigee-chaos-${randomBytes(4).toString("hex")}:`;
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, REDIS_URL: redisUrl.toString(), REDIS_PREFIX: prefix, NODE_ENV: "test", LOG_LEVEL: "warn", ALLOW_PRIVATE_TARGETS: "true" });
  const { runMigrations } = await import("../../src/server/db/migrate");
  await runMigrations(url);
  const { ensurePartitions } = await import("../../src/server/monitors/partitions");
  await ensurePartitions();
  // The run's own reads: terminated with the rest in phase C, so every query is retried.
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on("error", () => undefined);
  const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    for (let i = 0; ; i++) {
      try {
        return (await pool.query<T>(text, values)).rows;
      } catch (err) {
        if (i >= 20) throw err;
        await sleep(250);
      }
    }
  };

  // The monitors' target: /flap answers 503 while `down`, /steady always 200.
  let down = false;
  const target = http.createServer((req, res) => {
    res.writeHead(req.url === "/flap" && down ? 503 : 200, { "content-type": "text/plain", connection: "close" });
    res.end(down ? "down" : "ok");
  });
  // The webhook receiver: answers in 1–3 s, records every request. `failFirst`: the first
  // request of each webhook-id is refused with 503 (the notification then waits for a retry).
  const hits: Hit[] = [];
  let failFirst = false;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      let type = "";
      try {
        type = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { type?: string }).type ?? "";
      } catch {
        type = "unparsable";
      }
      const accepted = !(failFirst && !hits.some((h) => h.id === id));
      // The receiver acts on an accepted request when it decides to answer 2xx, whether or not the sender is still there to read it.
      setTimeout(
        () => {
          hits.push({ id, type, at: Date.now(), accepted });
          if (!res.destroyed) {
            res.writeHead(accepted ? 200 : 503, { "content-type": "application/json" });
            res.end(accepted ? '{"ok":true}' : '{"error":"busy"}');
          }
        },
        rand(1000, 3000),
      );
    });
  });
  target.keepAliveTimeout = 1;
  receiver.keepAliveTimeout = 1;
  await Promise.all([new Promise<void>((r) => target.listen(0, "127.0.0.1", r)), new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r))]);
  const targetBase = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const receiverBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const { orgId, ctx } = await benchTenant({ maxMonitors: 1_000_000 });
  const { createChannel } = await import("../../src/server/services/channels/create");
  await createChannel({ ctx, input: { name: "Chaos hook", type: "webhook", url: `${receiverBase}/hook`, isDefault: true } });
  const insertMonitors = async (n: number, p: string, label: string) => {
    const ids = Array.from({ length: n }, () => randomUUID());
    await q(
      `insert into monitors (id, organization_id, name, type, config, interval_seconds, timeout_ms, confirmations, recoveries)
       select id, $1, $2 || '-' || ord, 'http', $3::jsonb, $4, 5000, 2, 1 from unnest($5::uuid[]) with ordinality as u(id, ord)`,
      [orgId, label, JSON.stringify({ url: `${targetBase}${p}`, method: "GET", expectedStatus: [{ from: 200, to: 299 }] }), INTERVAL_MS / 1000, ids],
    );
    return ids;
  };
  await insertMonitors(FLAP, "/flap", "flap");
  const steadyIds = await insertMonitors(STEADY, "/steady", "steady");

  const phases: Phase[] = [];
  // The worker, as a child process; its warnings are kept (the Redis-loss notice is read from them).
  let worker: ChildProcess | null = null;
  const workerLog: { at: number; line: string }[] = [];
  const crashes: string[] = [];
  const startWorker = () => {
    const w = spawn(process.execPath, ["--import", "tsx", "workers/worker.ts"], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "ignore", "pipe"] });
    w.stderr!.setEncoding("utf8");
    w.stderr!.on("data", (s: string) => s.split("\n").forEach((line) => line && workerLog.push({ at: Date.now(), line })));
    // An exit this run did not cause is a crash: noted, and the worker restarted as a supervisor would.
    w.once("exit", (code, signal) => {
      if (worker !== w) return;
      const phase = phases.at(-1);
      crashes.push(`${phase ? `phase ${phase.key} +${((Date.now() - phase.start) / 1000).toFixed(0)} s` : "setup"}: exit ${code ?? signal}`);
      startWorker();
    });
    worker = w;
  };
  const killWorker = async (signal: NodeJS.Signals) => {
    const w = worker;
    worker = null;
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise((r) => w.once("exit", r));
    w.kill(signal);
    await exited;
  };
  const openIncidents = async () => Number((await q<{ n: string }>(`select count(*) as n from incidents where closed_at is null`))[0]!.n);
  const unsent = async () => Number((await q<{ n: string }>(`select count(*) as n from notification_deliveries where status in ('pending', 'sending')`))[0]!.n);
  const until = async (f: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await f()) return true;
      await sleep(1000);
    }
    return false;
  };
  /** One outage of the flap monitors: down until all of them have an open incident (or `maxMs`), then back up until all closed. */
  const outage = async (maxMs: number) => {
    down = true;
    await until(async () => (await openIncidents()) >= FLAP, maxMs);
    down = false;
    await until(async () => (await openIncidents()) === 0, maxMs);
  };

  const load0 = os.loadavg();
  startWorker();
  say(`setup: ${FLAP} flapping + ${STEADY} steady monitors every ${INTERVAL_MS / 1000} s, Redis db ${REDIS_DB} prefix ${prefix}, database ${name}; warming up`);
  await until(async () => Number((await q<{ n: string }>(`select count(distinct monitor_seq) as n from check_results`))[0]!.n) >= FLAP + STEADY, 120_000);

  try {
    if (!skip.has("a")) {
      const p: Phase = { key: "A", title: "mass outage + recovery, worker SIGKILLed every 10–25 s", start: Date.now(), end: 0, notes: [], kills: 0 };
      phases.push(p);
      say(`phase A: ${A_MS / 60_000} min`);
      let killing = true;
      const killer = (async () => {
        while (killing) {
          await sleep(rand(10_000, 25_000));
          if (!killing) break;
          await killWorker("SIGKILL");
          startWorker();
          p.kills++;
        }
      })();
      while (Date.now() - p.start < A_MS) await outage(Math.max(20_000, A_MS - (Date.now() - p.start)));
      killing = false;
      await killer;
      down = false;
      await until(async () => (await openIncidents()) === 0 && (await unsent()) === 0, 120_000);
      p.end = Date.now();
      say(`phase A done: ${p.kills} kills`);
    }

    if (!skip.has("b")) {
      const p: Phase = { key: "B", title: `Redis flushed (FLUSHDB of db ${REDIS_DB}) while DOWN alerts are queued and some wait for a retry`, start: Date.now(), end: 0, notes: [], kills: 0 };
      phases.push(p);
      say("phase B");
      failFirst = true;
      down = true;
      // Flush when alerts are both in flight and waiting for a retry.
      await until(async () => {
        const r = await q<{ retrying: string; total: string }>(
          `select count(*) filter (where status = 'pending' and attempts > 0) as retrying, count(*) as total from notification_deliveries where created_at >= $1`,
          [new Date(p.start)],
        );
        return Number(r[0]!.retrying) >= Math.min(20, FLAP / 5);
      }, 120_000);
      p.pendingAtFlush = (await q<{ id: string }>(`select id from notification_deliveries where status in ('pending', 'sending')`)).map((r) => r.id);
      p.flushAt = Date.now();
      await redis.flushdb();
      failFirst = false;
      say(`phase B: flushed with ${p.pendingAtFlush.length} notifications unsent`);
      await sleep(Math.max(45_000, 3 * INTERVAL_MS));
      down = false;
      await until(async () => (await openIncidents()) === 0 && (await unsent()) === 0, 120_000);
      p.end = Date.now();
    }

    if (!skip.has("c")) {
      const p: Phase = { key: "C", title: `every connection of the app's database terminated ${PG_KILLS}× during an outage`, start: Date.now(), end: 0, notes: [], kills: 0 };
      phases.push(p);
      say("phase C");
      const admin = new pg.Client({ connectionString: BASE_DATABASE_URL });
      await admin.connect();
      let terminating = true;
      const terminator = (async () => {
        for (let i = 0; i < PG_KILLS && terminating; i++) {
          await sleep(rand(8_000, 20_000));
          const r = await admin.query(`select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [name]);
          p.kills++;
          p.notes.push(`terminated ${r.rows[0].n} connections at +${((Date.now() - p.start) / 1000).toFixed(0)} s`);
        }
      })();
      await outage(120_000);
      await terminator;
      terminating = false;
      await admin.end();
      await until(async () => (await openIncidents()) === 0 && (await unsent()) === 0, 120_000);
      p.end = Date.now();
    }

    say(`draining (up to ${DRAIN_MS / 1000} s)`);
    await until(async () => (await unsent()) === 0, DRAIN_MS);
    await sleep(5_000);
  } finally {
    await killWorker("SIGTERM");
  }

  // Figures, per phase (events by the time they were written).
  const failures: string[] = [];
  const firstAccepted = new Map<string, number>();
  const acceptedCount = new Map<string, number>();
  for (const h of hits.filter((x) => x.accepted)) {
    if (!firstAccepted.has(h.id)) firstAccepted.set(h.id, h.at);
    acceptedCount.set(h.id, (acceptedCount.get(h.id) ?? 0) + 1);
  }
  for (const [i, p] of phases.entries()) {
    const to = phases[i + 1]?.start ?? Date.now();
    const from = new Date(p.start);
    const until_ = new Date(to);
    const inc = (
      await q<{ opened: string; closed: string; false_downs: string }>(
        `select count(*) filter (where opened_at >= $1 and opened_at < $2) as opened, count(*) filter (where closed_at >= $1 and closed_at < $2) as closed,
         count(*) filter (where opened_at >= $1 and opened_at < $2 and monitor_id = any($3::uuid[])) as false_downs from incidents`,
        [from, until_, steadyIds],
      )
    )[0]!;
    const dels = await q<{ id: string; kind: string; status: string; at: Date | null; interrupted: boolean }>(
      `select d.id, e.kind, d.status, case when e.kind = 'recovered' then i.closed_at else i.opened_at end as at,
         exists (select 1 from notification_log l where l.delivery_id = d.id and l.status = 'interrupted') as interrupted
       from notification_deliveries d join monitor_events e on e.id = d.event_id left join incidents i on i.id = e.incident_id
       where e.created_at >= $1 and e.created_at < $2 and e.kind in ('down', 'recovered')`,
      [from, until_],
    );
    const lines = [`== Phase ${p.key}: ${p.title} ==`];
    lines.push(`incidents opened/closed: ${inc.opened}/${inc.closed}; false DOWNs (steady monitors): ${inc.false_downs}`);
    for (const kind of ["down", "recovered"]) {
      const ds = dels.filter((d) => d.kind === kind);
      const got = ds.filter((d) => firstAccepted.has(d.id));
      const delays = got.filter((d) => d.at).map((d) => firstAccepted.get(d.id)! - d.at!.getTime());
      lines.push(
        `${kind === "down" ? "DOWN" : "recovery"} deliveries expected/received: ${ds.length}/${got.length}; lost ${ds.length - got.length}; delay p50 ${secs(pct(delays, 0.5))} p99 ${secs(pct(delays, 0.99))} max ${secs(delays.length ? Math.max(...delays) : null)}`,
      );
    }
    const lost = dels.filter((d) => !firstAccepted.has(d.id));
    const dups = dels.filter((d) => (acceptedCount.get(d.id) ?? 0) > 1);
    const unexplained = dups.filter((d) => !d.interrupted);
    lines.push(`lost: ${lost.length}${lost.length ? ` (${lost.map((d) => `${d.id} ${d.kind} ${d.status}`).join(", ")})` : ""}`);
    const apart = dups.map((d) => {
      const at = hits.filter((h) => h.id === d.id && h.accepted).map((h) => h.at);
      return at[1]! - at[0]!;
    });
    lines.push(
      `duplicates (same webhook-id received twice): ${dups.length}; with the interrupted attempt in the log: ${dups.length - unexplained.length}${apart.length ? `; ${secs(Math.min(...apart))}–${secs(Math.max(...apart))} apart` : ""}`,
    );
    const gap = (
      await q<{ gap: number | null; lateness: number | null }>(
        `with s as (select monitor_seq, extract(epoch from scheduled_at) * 1000 + perigee_lateness_ms(lateness) as t, perigee_lateness_ms(lateness) as l
         from check_results where scheduled_at >= $1 and scheduled_at < $2)
       select max(g)::float8 as gap, (select max(l) from s) as lateness from (select t - lag(t) over (partition by monitor_seq order by t) as g from s) x`,
        [from, until_],
      )
    )[0]!;
    lines.push(`longest gap between two checks of a monitor: ${secs(gap.gap)} (${gap.gap ? (gap.gap / INTERVAL_MS).toFixed(2) : "—"} intervals); max lateness recorded: ${secs(gap.lateness)}`);
    if (p.key === "A") lines.push(`worker SIGKILLs: ${p.kills}`);
    if (p.key === "C") lines.push(...p.notes);
    if (lost.length) failures.push(`phase ${p.key}: ${lost.length} lost`);
    if (Number(inc.false_downs)) failures.push(`phase ${p.key}: ${inc.false_downs} false DOWNs`);
    if (unexplained.length) failures.push(`phase ${p.key}: ${unexplained.length} duplicates without an interrupted attempt in the log`);

    if (p.key === "B" && p.flushAt) {
      const noticed = workerLog.find((l) => l.at >= p.flushAt! && l.line.includes("Redis lost its data"));
      const noticedAt = noticed ? Date.parse((JSON.parse(noticed.line) as { t: string }).t) : null;
      const late = (p.pendingAtFlush ?? []).map((id) => (firstAccepted.get(id) ?? Infinity) - p.flushAt!).filter((ms) => ms > 0);
      const worst = late.length ? Math.max(...late) : 0;
      const aroundFlush = (
        await q<{ gap: number | null }>(
          `with s as (select monitor_seq, extract(epoch from scheduled_at) * 1000 + perigee_lateness_ms(lateness) as t from check_results where scheduled_at >= $1 and scheduled_at < $2)
         select max(g)::float8 as gap from (select t - lag(t) over (partition by monitor_seq order by t) as g from s) x`,
          [new Date(p.flushAt - 2 * INTERVAL_MS), new Date(p.flushAt + 4 * INTERVAL_MS)],
        )
      )[0]!.gap;
      lines.push(`loss noticed after: ${noticedAt ? secs(noticedAt - p.flushAt) : "never"}`);
      lines.push(`unsent at the flush: ${p.pendingAtFlush?.length ?? 0}; all received within ${Number.isFinite(worst) ? secs(worst) : "never"} of it`);
      lines.push(`longest gap between two checks across the flush: ${secs(aroundFlush)} (goal ≤ ${secs(INTERVAL_MS + GAP_SLACK_MS)})`);
      if (!noticedAt) failures.push("phase B: the loss was never noticed");
      if (!(worst <= LOSS_DELIVERY_MS)) failures.push(`phase B: a notification unsent at the flush took ${Number.isFinite(worst) ? secs(worst) : "forever"}`);
      if ((aroundFlush ?? Infinity) > INTERVAL_MS + GAP_SLACK_MS) failures.push(`phase B: a monitor went ${secs(aroundFlush)} without a check across the flush`);
    }
    console.log(lines.join("\n") + "\n");
  }
  // What the worker complained about, by message (the faults above cause most of it).
  const byMsg = new Map<string, number>();
  for (const { line } of workerLog) {
    let key = line.slice(0, 120);
    try {
      const j = JSON.parse(line) as { level?: string; msg?: string };
      key = `${j.level}: ${j.msg}`;
    } catch {
      // not a log line (a stack trace, BullMQ's own output)
    }
    byMsg.set(key, (byMsg.get(key) ?? 0) + 1);
  }
  console.log(
    `worker log (warnings and errors, by message):\n${
      [...byMsg]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([m, n]) => `  ${n} × ${m}`)
        .join("\n") || "  none"
    }\n`,
  );
  console.log(`worker crashes (exits not caused by the run; restarted at once): ${crashes.length ? crashes.join("; ") : "none"}\n`);
  if (crashes.length) failures.push(`the worker crashed ${crashes.length}× (${crashes.join("; ")})`);
  const load1 = os.loadavg();
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}; load average at start ${load0.map((x) => x.toFixed(1)).join(" ")}, at end ${load1.map((x) => x.toFixed(1)).join(" ")}`,
  );
  console.log(failures.length ? `GOALS MISSED:\n- ${failures.join("\n- ")}` : "all goals met: 0 lost, 0 false DOWN, every duplicate explained by an interrupted attempt, Redis loss repaired in time");

  receiver.closeAllConnections();
  target.closeAllConnections();
  await Promise.all([new Promise((r) => receiver.close(r)), new Promise((r) => target.close(r))]);
  await pool.end();
  const { closeDb } = await import("../../src/server/db/client");
  const { closeRedis } = await import("../../src/server/redis");
  const { closeQueues } = await import("../../src/server/monitors/schedule");
  await Promise.allSettled([closeDb(), closeRedis(), closeQueues()]);
  await deleteRedisPrefix(prefix, redisUrl.toString());
  await redis.flushdb();
  redis.disconnect();
  await dropTestDatabase(BASE_DATABASE_URL, name);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
