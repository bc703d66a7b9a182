/**
 * `npm run bench:checks` — the monitoring engine's numbers (issue 3), printed as JSON:
 *  (a) sustained checks/s of 1..W worker processes (children running workers/worker.ts; W from
 *      --workers, default 1) on one queue against a local HTTP target in another process, a new
 *      connection per check, results persisted, SSRF guard on; with each process's CPU, CPU ms
 *      per check, and the machine's raw limit measured in the same run (raw-gets.mjs: the same
 *      fresh-connection GETs from one Node process, no queue, no database), and the ratio.
 *  (b) scheduling lateness p50/p99 for N monitors (default 10,000) at 60 s through the real
 *      BullMQ job schedulers, and the largest interval actually seen between two checks; then a
 *      restart (SIGTERM, a new process at once) and the lateness of the slots due in the new
 *      process's first minute.
 *  (c) detection latency: target starts answering 503 at a random moment → incident opened.
 *  (d) bytes per stored result including its index.
 *  (e) 90-day uptime query time for one monitor and for all N monitors (one summary row each).
 * Flags: --monitors N (b), --minutes M (b, default 3), --skip a,b,c,d,e, --workers W (a),
 * --rounds R (a: R checks per monitor, 1,000 monitors, default 20), --profile DIR (a: the
 * 1-worker run under node --cpu-prof; summarise with tests/bench/profile-top.mjs).
 * Uses its own database and Redis prefix and removes both at the end.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";

/** As production starts the worker (scripts/start.mjs, package.json, docker-compose.yml); the raw client gets the same. */
const WORKER_NODE_FLAGS = ["--max-semi-space-size=64"];
const { values: flags } = parseArgs({
  options: {
    monitors: { type: "string", default: "10000" },
    minutes: { type: "string", default: "3" },
    skip: { type: "string", default: "" },
    workers: { type: "string", default: "1" },
    rounds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "1000" },
    profile: { type: "string" },
  },
});
const N = Number(flags.monitors);
const MINUTES = Number(flags.minutes);
const skip = new Set(flags.skip!.split(",").filter(Boolean));
const WORKERS = Math.max(1, Number(flags.workers));
const A_ROUNDS = Math.max(1, Number(flags.rounds));
// A name, not a literal: the SSRF guard resolves it and checks the address on every check.
const TARGET_HOST = "localhost";
const PROFILE_DIR = flags.profile ? path.resolve(flags.profile) : undefined;
const ROOT = path.resolve(import.meta.dirname, "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], q: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
type RawRun = { requests: number; seconds: number; perSecond: number; cpuMs: number; errors: number };
/** Whole-machine CPU ticks from /proc/stat: idle (idle + iowait) and total. */
const machineTicks = () => {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: f[3]! + f[4]!, total: f.reduce((a, b) => a + b, 0) };
};

async function main() {
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "bench");
  const prefix = `perigee-bench-${randomBytes(4).toString("hex")}:`;
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, REDIS_PREFIX: prefix, NODE_ENV: "test", LOG_LEVEL: "warn", ALLOW_PRIVATE_TARGETS: "true" });
  const { runMigrations } = await import("../../src/server/db/migrate");
  await runMigrations(url);
  const { ensurePartitions } = await import("../../src/server/monitors/partitions");
  await ensurePartitions();
  const db = new pg.Pool({ connectionString: url, max: 4 });
  const out: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() },
  };

  const target = fork(path.join(import.meta.dirname, "target.mjs"), { stdio: "inherit" });
  const port = await new Promise<number>((r) => target.once("message", (m: { port: number }) => r(m.port)));
  const org = randomUUID();
  await db.query(`insert into organizations (id, slug, name, max_monitors) values ($1, $2, 'Bench', 1000000)`, [org, `bench-${org.slice(0, 8)}`]);

  let workers: ChildProcess[] = [];
  const startWorker = (concurrency: number, nodeFlags: string[] = []) => {
    const w = spawn(process.execPath, [...WORKER_NODE_FLAGS, ...nodeFlags, "--import", "tsx", "workers/worker.ts"], {
      cwd: ROOT,
      env: { ...process.env, CHECK_CONCURRENCY: String(concurrency), LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // When the process says it is ready (its "[worker] ready" line).
    const ready = new Promise<number>((resolve) => {
      let seen = "";
      w.stdout!.on("data", (b: Buffer) => {
        seen += b.toString();
        if (seen.includes("[worker] ready")) resolve(Date.now());
      });
    });
    workers.push(w);
    return Object.assign(w, { ready });
  };
  const stopWorkers = async () => {
    const ws = workers;
    workers = [];
    await Promise.all(
      ws.map((w) => {
        if (w.exitCode !== null || w.signalCode !== null) return null;
        w.kill("SIGTERM");
        return new Promise((r) => w.once("exit", r));
      }),
    );
  };
  const cpuTicks = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s)
  };
  const countResults = async () => Number((await db.query(`select count(*) as n from check_results`)).rows[0].n);

  async function insertMonitors(count: number, intervalSeconds: number, urlPath = "/") {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1000) {
      const chunk = Array.from({ length: Math.min(1000, count - i) }, () => randomUUID());
      ids.push(...chunk);
      await db.query(
        `insert into monitors (id, organization_id, name, type, config, interval_seconds, timeout_ms, confirmations, recoveries)
         select id, $1, 'bench', 'http', $2::jsonb, $3, 5000, 2, 1 from unnest($4::uuid[]) as id`,
        [org, JSON.stringify({ url: `http://${TARGET_HOST}:${port}${urlPath}`, method: "GET", expectedStatus: [{ from: 200, to: 299 }] }), intervalSeconds, chunk],
      );
    }
    return ids;
  }

  const { checkQueue, syncSchedule, closeQueues } = await import("../../src/server/monitors/schedule");

  // (a) sustained throughput of 1..W worker processes, beside the machine's raw limit.
  if (!skip.has("a")) {
    const ids = await insertMonitors(1000, 86_400);
    const rounds = A_ROUNDS;
    const concurrency = Number(flags.concurrency);
    const total = ids.length * rounds;
    const raw = async (lanes: number) => {
      const child = fork(path.join(import.meta.dirname, "raw-gets.mjs"), { stdio: "inherit", execArgv: WORKER_NODE_FLAGS });
      const r = await new Promise<RawRun>((resolve, reject) => {
        child.once("message", (m) => resolve(m as RawRun));
        child.once("exit", (code) => reject(new Error(`raw client exited with ${code}`)));
        child.send({ host: TARGET_HOST, port, total, concurrency: lanes });
      });
      await new Promise((r) => (child.exitCode === null ? child.once("exit", r) : r(null)));
      return { ...r, concurrency: lanes };
    };
    // The raw client's best: at 256 lanes and at the worker's concurrency, if that differs.
    const rawLanes = [...new Set([256, concurrency])];
    // The limit is taken before and after the worker runs: the machine is shared and its load moves.
    const rawRuns: (RawRun & { concurrency: number })[] = [];
    for (const lanes of rawLanes) rawRuns.push(await raw(lanes));
    log(`(a) raw limit: ${JSON.stringify(rawRuns)}`);
    const runs: Record<string, unknown>[] = [];
    for (let n = 1; n <= WORKERS; n++) {
      let base = Date.now() - 3_600_000;
      for (let r = 0; r < rounds; r++, base += 1000) {
        await checkQueue("default").addBulk(ids.map((monitorId) => ({ name: "check", data: { monitorId, version: 1, region: "default" }, opts: { timestamp: base, removeOnComplete: true } })));
      }
      log(`(a) ${total} checks queued; starting ${n} worker process${n > 1 ? "es" : ""}`);
      const before = await countResults();
      const spawnedAt = Date.now();
      const ws = Array.from({ length: n }, () => startWorker(concurrency, PROFILE_DIR && n === 1 ? [`--cpu-prof`, `--cpu-prof-dir=${PROFILE_DIR}`] : []));
      let first = 0;
      let t0 = 0;
      let cpu0: number[] = [];
      let sys0 = machineTicks();
      for (;;) {
        await sleep(200);
        const done = (await countResults()) - before;
        if (!first && done > 0) {
          first = done;
          t0 = Date.now();
          cpu0 = ws.map((w) => cpuTicks(w.pid!));
          sys0 = machineTicks();
        }
        if (done >= total) break;
      }
      const elapsed = (Date.now() - t0) / 1000;
      const cpu1 = ws.map((w) => cpuTicks(w.pid!));
      const sys1 = machineTicks();
      await stopWorkers();
      const checks = total - first;
      const perSecond = checks / elapsed;
      const cpuMs = cpu1.map((c, i) => ((c - cpu0[i]!) / 100) * 1000);
      runs.push({
        workers: n,
        checks,
        seconds: Number(elapsed.toFixed(2)),
        checksPerSecond: Math.round(perSecond),
        workerCpuPercent: cpuMs.map((c) => Math.round((c / 1000 / elapsed) * 100)),
        cpuMsPerCheck: Number((cpuMs.reduce((a, b) => a + b, 0) / checks).toFixed(3)),
        machineBusyPercent: Math.round((1 - (sys1.idle - sys0.idle) / (sys1.total - sys0.total)) * 100),
        ...(PROFILE_DIR && n === 1 ? { profileSkipMs: t0 - spawnedAt } : {}),
      });
      log(`(a) ${JSON.stringify(runs.at(-1))}`);
    }
    for (const lanes of rawLanes) rawRuns.push(await raw(lanes));
    log(`(a) raw limit again: ${JSON.stringify(rawRuns.slice(rawLanes.length))}`);
    // Per lane count, the mean of the runs before and after; the limit is the best of those means.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const byLanes = rawLanes.map((lanes) => {
      const rs = rawRuns.filter((r) => r.concurrency === lanes);
      return { lanes, perSecond: mean(rs.map((r) => r.perSecond)), cpuMsPerGet: mean(rs.map((r) => r.cpuMs / r.requests)) };
    });
    const best = byLanes.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const rawPerSecond = best.perSecond;
    const rawCpuMsPerGet = best.cpuMsPerGet;
    const one = runs[0]!.checksPerSecond as number;
    out.a_throughput = {
      raw: {
        getsPerSecond: rawRuns.map((r) => r.perSecond),
        cpuMsPerGet: rawRuns.map((r) => Number((r.cpuMs / r.requests).toFixed(3))),
        lanes: rawRuns.map((r) => r.concurrency),
        limit: { getsPerSecond: Math.round(best.perSecond), lanes: best.lanes },
        note: "the same fresh-connection GETs (node:http, agent:false) to the same target, from one Node process with no queue, database or SSRF guard, at 256 lanes and at the worker's concurrency; each measured before and after the worker runs; the limit is the best mean",
      },
      runs: runs.map((r) => ({
        ...r,
        ratioToRaw: Number(((r.checksPerSecond as number) / rawPerSecond).toFixed(2)),
        scalingVsOneWorker: Number(((r.checksPerSecond as number) / one).toFixed(2)),
        cpuMsPerCheckVsRawGet: Number(((r.cpuMsPerCheck as number) / rawCpuMsPerGet).toFixed(2)),
      })),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      note: `worker processes with CHECK_CONCURRENCY=${concurrency} on one queue, node:http with agent:false (new TCP connection per check), SSRF guard on (private targets allowed), results committed in batches before each job completes; ratioToRaw divides by raw.limit`,
    };
    await db.query(`delete from monitors where organization_id = $1`, [org]);
    await db.query(`truncate check_results, check_rollups_hourly, check_rollups_daily, monitor_region_state`);
  }

  // (b) + (c) scheduling lateness with N monitors at 60 s, and detection latency on the side.
  if (!skip.has("b")) {
    const ids = await insertMonitors(N, 60);
    const [flaky] = await insertMonitors(1, 30, "/flaky");
    log(`(b) creating ${N + 1} job schedulers`);
    const tSched = Date.now();
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((id) => syncSchedule({ id, type: "http", intervalSeconds: 60, regions: ["default"], paused: false, version: 1 })));
    }
    await syncSchedule({ id: flaky!, type: "http", intervalSeconds: 30, regions: ["default"], paused: false, version: 1 });
    log(`(b) schedulers created in ${((Date.now() - tSched) / 1000).toFixed(1)} s; running for ${MINUTES} min`);
    const startAt = new Date();
    const w = startWorker(Number(flags.concurrency));
    const cpu0 = cpuTicks(w.pid!);
    const detections: number[] = [];
    const runUntil = Date.now() + MINUTES * 60_000;
    // (c): let it be UP, then break /flaky at a random moment and wait for the incident.
    await sleep(40_000);
    while (Date.now() < runUntil - 75_000) {
      await sleep(Math.random() * 30_000);
      target.send("down");
      const downAt = Date.now();
      for (;;) {
        await sleep(100);
        const r = await db.query(`select opened_at from incidents where monitor_id = $1 and closed_at is null`, [flaky]);
        if (r.rows[0]) {
          detections.push(new Date(r.rows[0].opened_at).getTime() - downAt);
          break;
        }
        if (Date.now() - downAt > 120_000) break;
      }
      target.send("up");
      for (let i = 0; i < 400; i++) {
        await sleep(100);
        const r = await db.query(`select state from monitors where id = $1`, [flaky]);
        if (r.rows[0].state === "UP") break;
      }
    }
    const left = runUntil - Date.now();
    if (left > 0) await sleep(left);
    const cpu1 = cpuTicks(w.pid!);
    // Restart, as a deploy does it: SIGTERM the worker (it finishes its running checks) and start
    // a new one at once, then watch the new process's first minute.
    const old = workers;
    workers = [];
    old.forEach((x) => x.kill("SIGTERM"));
    const restartAt = new Date();
    const w2 = startWorker(Number(flags.concurrency));
    const oldExited = Promise.all(old.map((x) => (x.exitCode === null ? new Promise((r) => x.once("exit", r)) : null)));
    await sleep(75_000);
    const readyAt = new Date(await w2.ready);
    await oldExited;
    await stopWorkers();
    const restartRows = async (from: Date) =>
      (await db.query(`select perigee_lateness_ms(lateness) as l from check_results where scheduled_at >= $1 and scheduled_at < $1::timestamptz + interval '60 seconds'`, [from])).rows.map(
        (r: { l: number }) => r.l,
      );
    const afterSpawn = await restartRows(restartAt);
    const laterPart = (
      await db.query(
        `select perigee_lateness_ms(lateness) as l from check_results where scheduled_at >= $1::timestamptz + interval '10 seconds' and scheduled_at < $1::timestamptz + interval '60 seconds'`,
        [restartAt],
      )
    ).rows.map((r: { l: number }) => r.l);
    const afterReady = await restartRows(readyAt);
    const rows = (
      await db.query(
        `select perigee_lateness_ms(lateness) as lateness_ms, extract(epoch from scheduled_at) * 1000 + perigee_lateness_ms(lateness) as started_ms, monitor_seq from check_results where scheduled_at >= $1 and scheduled_at < $2 order by monitor_seq, scheduled_at`,
        [startAt, restartAt],
      )
    ).rows as { lateness_ms: number; started_ms: string; monitor_seq: number }[];
    const lateness = rows.map((r) => r.lateness_ms);
    // Steady state: leave out the first minute, when every scheduler's first job is due at once.
    const steadyFrom = startAt.getTime() + 60_000;
    const steady = rows.filter((r) => Number(r.started_ms) >= steadyFrom).map((r) => r.lateness_ms);
    let maxGap = 0;
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.monitor_seq === rows[i - 1]!.monitor_seq) maxGap = Math.max(maxGap, Number(rows[i]!.started_ms) - Number(rows[i - 1]!.started_ms));
    }
    const perSecond = new Map<number, number>();
    for (const r of rows) {
      const s = Math.floor(Number(r.started_ms) / 1000);
      perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    }
    const spread = [...perSecond.values()];
    out.b_scheduling = {
      monitors: N,
      intervalSeconds: 60,
      minutes: MINUTES,
      checks: rows.length,
      latenessMs: { p50: pct(lateness, 0.5), p99: pct(lateness, 0.99), max: Math.max(...lateness) },
      steadyStateLatenessMs: { p50: pct(steady, 0.5), p99: pct(steady, 0.99), max: Math.max(...steady) },
      largestIntervalSeenSeconds: Number((maxGap / 1000).toFixed(2)),
      checksPerSecondSpread: { min: Math.min(...spread), p50: pct(spread, 0.5), max: Math.max(...spread), expected: Math.round(N / 60) },
      workerCpuPercent: Math.round(((cpu1 - cpu0) / 100 / (MINUTES * 60)) * 100),
      restart: {
        note: "SIGTERM to the running worker and a new one spawned at once; lateness of the slots due in the 60 s after the new process was spawned (its start-up included), and in the 60 s after it printed ready",
        startupMs: readyAt.getTime() - restartAt.getTime(),
        slotsDueAfterSpawn: { checks: afterSpawn.length, latenessMs: { p50: pct(afterSpawn, 0.5), p99: pct(afterSpawn, 0.99), max: Math.max(...afterSpawn) } },
        slotsDue10To60sAfterSpawn: { checks: laterPart.length, latenessMs: { p50: pct(laterPart, 0.5), p99: pct(laterPart, 0.99), max: Math.max(...laterPart) } },
        slotsDueAfterReady: { checks: afterReady.length, latenessMs: { p50: pct(afterReady, 0.5), p99: pct(afterReady, 0.99), max: Math.max(...afterReady) } },
      },
    };
    out.c_detection = {
      intervalSeconds: 30,
      confirmations: 2,
      runs: detections.length,
      detectionMs: detections,
      worstMs: detections.length ? Math.max(...detections) : null,
      boundMs: 30 * 2 * 1000 + 2000,
    };
    log(`(b) ${JSON.stringify(out.b_scheduling)}`);
    log(`(c) ${JSON.stringify(out.c_detection)}`);
    await closeQueues();
  }

  // (d) bytes per result: one day's partition filled with a realistic mix, measured with its index.
  if (!skip.has("d")) {
    await db.query(`create table bench_results (like check_results including all)`);
    await db.query(`
      insert into bench_results
      select timestamp '2026-01-01' + (i / 1000) * interval '60 seconds', (i % 1000) + 1,
             80 + (i % 50), 70 + (i % 40), (i % 3), 1 + (i % 5), 10 + (i % 7), 200, 1,
             case when i % 100 = 0 then 2 * 16 + 5 else 0 end, i % 20
      from generate_series(0, 999999) as i`);
    await db.query(`vacuum analyze bench_results`);
    const size = async () => (await db.query(`select pg_total_relation_size('bench_results') as t, pg_relation_size('bench_results') as h, pg_indexes_size('bench_results') as i`)).rows[0];
    const s1 = await size();
    await db.query(`reindex table bench_results`);
    const s2 = await size();
    // What the daily compaction job does to a finished partition.
    out.d_storage = {
      rows: 1_000_000,
      bytesPerResult: Number((Number(s1.t) / 1e6).toFixed(1)),
      heapBytesPerResult: Number((Number(s1.h) / 1e6).toFixed(1)),
      indexBytesPerResult: Number((Number(s1.i) / 1e6).toFixed(1)),
      compactedBytesPerResult: Number((Number(s2.t) / 1e6).toFixed(1)),
      compactedIndexBytesPerResult: Number((Number(s2.i) / 1e6).toFixed(1)),
      note: "rows inserted in time order, 1,000 monitors interleaved, like a live day; 'compacted' = after the daily REINDEX of a finished partition",
    };
    log(`(d) ${JSON.stringify(out.d_storage)}`);
    await db.query(`drop table bench_results`);
  }

  // (e) 90-day uptime from daily rollups: one monitor, and all N monitors at once.
  if (!skip.has("e")) {
    await db.query(`truncate check_rollups_daily`);
    await db.query(`
      insert into check_rollups_daily (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
      select s, date_trunc('day', now()) - d * interval '1 day', 1440, 1440 - (s + d) % 3, 0, 1440 * 120, '{0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3,1200,200,37}'::int[]
      from generate_series(1, ${N}) s, generate_series(0, 89) d`);
    await db.query(`vacuum analyze check_rollups_daily`);
    const { uptimeForSeq } = await import("../../src/server/services/monitors/uptime");
    const one: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      await uptimeForSeq({ seq: 1 + (i % N), window: "90d" });
      one.push(performance.now() - t);
    }
    const scan: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await db.query(
        `select monitor_seq, sum(successes)::float8 / nullif(sum(checks), 0) as uptime from check_rollups_daily where bucket >= date_trunc('day', now()) - interval '89 days' group by monitor_seq`,
      );
      scan.push(performance.now() - t);
    }
    const { refreshUptimeSummaries, uptime90dFor } = await import("../../src/server/monitors/uptime-summary");
    const tRefresh = performance.now();
    await refreshUptimeSummaries();
    const refreshMs = performance.now() - tRefresh;
    // Today's running counts, as the results batches of a live day keep them beside the summary.
    await db.query(`
      update uptime_90d u set today = current_date, today_checks = d.checks, today_successes = d.successes
      from check_rollups_daily d where d.monitor_seq = u.monitor_seq and d.bucket = current_date::timestamptz`);
    await db.query(`vacuum analyze uptime_90d`);
    const seqs = Array.from({ length: N }, (_, i) => i + 1);
    const all: number[] = [];
    for (let i = 0; i < 12; i++) {
      const t = performance.now();
      const m = await uptime90dFor(seqs);
      all.push(performance.now() - t);
      if (m.size !== N) throw new Error("summary answered the wrong number of monitors");
    }
    out.e_uptime_query = {
      monitors: N,
      days: 90,
      oneMonitorMs: { p50: Number(pct(one.slice(10), 0.5)!.toFixed(2)), p99: Number(pct(one.slice(10), 0.99)!.toFixed(2)) },
      allMonitorsMs: { p50: Number(pct(all.slice(2), 0.5)!.toFixed(1)), max: Number(Math.max(...all.slice(2)).toFixed(1)) },
      allMonitorsByScanningDailyRollupsMs: { p50: Number(pct(scan.slice(1), 0.5)!.toFixed(1)) },
      hourlySummaryRefreshMs: Number(refreshMs.toFixed(0)),
    };
    log(`(e) ${JSON.stringify(out.e_uptime_query)}`);
    const { closeDb } = await import("../../src/server/db/client");
    await closeDb();
  }

  target.send("exit");
  await db.end();
  await dropTestDatabase(BASE_DATABASE_URL, name);
  await deleteRedisPrefix(prefix);
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
