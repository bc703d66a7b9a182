/**
 * `npm run bench:status` — public status pages under load (issue 11), printed as JSON.
 * A page with 50 components (5 sections) and 90 days of daily rollups; the worker running
 * (checks every 10 s against a local target, snapshot rebuilds); the production build served
 * by workers/web.ts. Measured with autocannon in this process (keep-alive, no external tool):
 *  - requests/s, p50/p99 at 50 and at 500 concurrent clients, and errors (non-2xx, socket
 *    errors, timeouts), for the page (`/status/{slug}`), `api/v2/summary.json` and `badge.svg`;
 *  - database queries per request: the web process reaches Postgres only through a counting
 *    TCP proxy in this process, which counts the protocol's Query and Execute messages
 *    (each statement the web sends, including BEGIN/COMMIT) — the worker connects directly
 *    and is not counted;
 *  - the machine's raw limit: a bare node:http server answering a static string, same load
 *    generator, same clients, in its own process — and our figure's ratio to it;
 *  - the page 5 s after a component goes DOWN: the target starts answering 503, the engine
 *    records DOWN (monitor_events), and summary.json is polled; prints the delay from the
 *    recorded transition to the page showing major_outage, and the page's state at +5 s.
 * Flags: --seconds S (per run, default 10), --web N (web processes, default 1), --only summary,badge,page.
 * BENCH_WEB_NODE_ARGS adds node flags to the web process (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * Builds the app first if there is no build. Uses its own database, Redis prefix and free
 * ephemeral ports, and removes them at the end.
 */
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";

const { values: flags } = parseArgs({ options: { seconds: { type: "string", default: "10" }, web: { type: "string", default: "1" }, only: { type: "string", default: "summary,badge,page" } } });
const SECONDS = Number(flags.seconds);
const WEB = Number(flags.web);
const ROOT = path.resolve(import.meta.dirname, "../..");
const COMPONENTS = 50;
const SECTIONS = 5;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A TCP proxy to Postgres that counts the statements sent through it (Query 'Q' and Execute 'E' messages). */
async function countingProxy(upstream: { host: string; port: number }) {
  const counter = { queries: 0 };
  const server = net.createServer((client) => {
    const up = net.connect(upstream.port, upstream.host);
    let buf: Buffer = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk: Buffer) => {
      up.write(chunk);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (!started) {
          // Startup, SSLRequest and GSSENCRequest carry no type byte: length, then a code.
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          const code = buf.readInt32BE(4);
          if (code !== 80877103 && code !== 80877104) started = true;
          buf = buf.subarray(len);
          continue;
        }
        if (buf.length < 5) break;
        const len = buf.readInt32BE(1);
        if (buf.length < 1 + len) break;
        if (buf[0] === 0x51 || buf[0] === 0x45) counter.queries++;
        buf = buf.subarray(1 + len);
      }
    });
    up.on("data", (c: Buffer) => client.write(c));
    const close = () => {
      client.destroy();
      up.destroy();
    };
    client.on("error", close).on("close", close);
    up.on("error", close).on("close", close);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { counter, port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(r)) };
}

const cpuTicks = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
};

type Run = { requestsPerSecond: number; latencyMs: { p50: number; p99: number; max: number }; requests: number; errors: number; non2xx: number; timeouts: number; webCpuPercent?: number };

function load(url: string, connections: number, pids: number[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cpu0 = pids.reduce((s, p) => s + cpuTicks(p), 0);
    const t0 = Date.now();
    // As browsers, aggregators' HTTP clients (Go, Python requests) and feed readers ask.
    autocannon({ url, connections, duration: SECONDS, timeout: 10, headers: { "accept-encoding": "gzip, deflate, br" } }, (err, r) => {
      if (err) return reject(err);
      const secs = (Date.now() - t0) / 1000;
      const cpu = pids.length ? Math.round(((pids.reduce((s, p) => s + cpuTicks(p), 0) - cpu0) / 100 / secs) * 100) : undefined;
      resolve({
        requestsPerSecond: Math.round(r.requests.average),
        latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
        requests: r.requests.total,
        errors: r.errors,
        non2xx: r.non2xx,
        timeouts: r.timeouts,
        ...(cpu === undefined ? {} : { webCpuPercent: cpu }),
      });
    });
  });
}

async function main() {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    log("no production build: running next build");
    const b = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
    if (b.status !== 0) throw new Error("next build failed");
  }
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "bench_status");
  const prefix = `perigee-bench-${randomBytes(4).toString("hex")}:`;
  const webPort = await freePort();
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, REDIS_PREFIX: prefix, NODE_ENV: "test", LOG_LEVEL: "warn", ALLOW_PRIVATE_TARGETS: "true", APP_URL: `http://127.0.0.1:${webPort}` });
  const { runMigrations } = await import("../../src/server/db/migrate");
  await runMigrations(url);
  const { ensurePartitions } = await import("../../src/server/monitors/partitions");
  await ensurePartitions();
  const db = new pg.Pool({ connectionString: url, max: 2 });
  const children: ChildProcess[] = [];
  const stop = async (c: ChildProcess) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    c.kill("SIGTERM");
    await Promise.race([new Promise((r) => c.once("exit", r)), sleep(8000)]);
  };
  const target = fork(path.join(import.meta.dirname, "target.mjs"), { stdio: "inherit" });
  children.push(target);
  const targetPort = await new Promise<number>((r) => target.once("message", (m: { port: number }) => r(m.port)));
  const proxy = await countingProxy(new URL(url).port ? { host: new URL(url).hostname, port: Number(new URL(url).port) } : { host: "127.0.0.1", port: 5432 });
  const proxied = new URL(url);
  proxied.host = `127.0.0.1:${proxy.port}`;

  const out: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() },
    settings: { secondsPerRun: SECONDS, webProcesses: WEB, components: COMPONENTS, rollupDays: 90, loadGenerator: "autocannon (in this process, keep-alive)" },
  };
  try {
    // The tenant, 50 monitors (the first one's target can be broken), 90 days of rollups.
    const org = randomUUID();
    await db.query(`insert into organizations (id, slug, name, max_monitors) values ($1, $2, 'Bench', 1000)`, [org, `bench-${org.slice(0, 8)}`]);
    const monitorIds = Array.from({ length: COMPONENTS }, () => randomUUID());
    await db.query(
      `insert into monitors (id, organization_id, name, type, config, interval_seconds, timeout_ms, confirmations, recoveries, state)
       select id, $1, 'svc-' || ord, 'http', jsonb_build_object('url', case when ord = 1 then $3 || '/flaky' else $3 || '/' end, 'method', 'GET', 'expectedStatus', jsonb_build_array(jsonb_build_object('from', 200, 'to', 299))), 10, 5000, 1, 1, 'UP'
       from unnest($2::uuid[]) with ordinality as t(id, ord)`,
      [org, monitorIds, `http://127.0.0.1:${targetPort}`],
    );
    const { addSample } = await import("../../src/server/monitors/histogram");
    const hist: number[] = [];
    for (let i = 0; i < 1438; i++) addSample(hist, 80 + ((i * 37) % 200));
    await db.query(
      `insert into check_rollups_daily (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
       select m.seq, date_trunc('day', now()) - make_interval(days => d), 1440, 1440 - (d % 3), 0, 1438 * 120, $2::int[]
       from monitors m, generate_series(0, 90) d where m.organization_id = $1`,
      [org, hist],
    );
    const slug = `bench-${randomBytes(4).toString("hex")}`;
    const page = (await db.query(`insert into status_pages (organization_id, slug, name, description) values ($1, $2, 'Bench Cloud', 'Fifty services') returning id`, [org, slug])).rows[0]
      .id as string;
    const sections: string[] = [];
    for (let s = 0; s < SECTIONS; s++)
      sections.push((await db.query(`insert into status_page_sections (page_id, name, position) values ($1, $2, $3) returning id`, [page, `Region ${s + 1}`, s])).rows[0].id);
    const componentIds: string[] = [];
    for (const [i, monitorId] of monitorIds.entries()) {
      const r = await db.query(
        `insert into status_page_components (page_id, organization_id, monitor_id, section_id, name, position, show_response_time) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [page, org, monitorId, sections[i % SECTIONS], `Service ${String(i + 1).padStart(2, "0")}`, i, i < 5],
      );
      componentIds.push(r.rows[0].id);
    }
    for (let k = 0; k < 5; k++) {
      const at = new Date(Date.now() - (k + 1) * 7 * 86_400_000);
      const inc = (
        await db.query(
          `insert into status_incidents (organization_id, page_id, title, impact, status, published_at, resolved_at, created_at) values ($1, $2, $3, 'minor', 'resolved', $4, $5, $4) returning id`,
          [org, page, `Past incident ${k + 1}`, at, new Date(at.getTime() + 3_600_000)],
        )
      ).rows[0].id;
      await db.query(`insert into status_incident_components (incident_id, component_id, status) values ($1, $2, 'partial_outage')`, [inc, componentIds[k + 1]]);
      for (const [j, st] of ["investigating", "identified", "resolved"].entries())
        await db.query(`insert into status_incident_updates (incident_id, organization_id, status, body, created_at) values ($1, $2, $3, $4, $5)`, [
          inc,
          org,
          st,
          `Update **${st}**.`,
          new Date(at.getTime() + j * 1_800_000),
        ]);
    }
    log(`page /status/${slug}: ${COMPONENTS} components, 90 days of rollups, 5 past incidents`);

    const env = { ...process.env, LOG_LEVEL: "error" };
    const worker = spawn(process.execPath, ["--import", "tsx", "workers/worker.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
    children.push(worker);
    const web = spawn(process.execPath, [...(process.env.BENCH_WEB_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "--import", "tsx", "workers/web.ts"], {
      cwd: ROOT,
      env: { ...env, NODE_ENV: "production", PORT: String(webPort), HOST: "127.0.0.1", DATABASE_URL: proxied.toString(), WEB_CONCURRENCY: String(WEB) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(web);
    const base = `http://127.0.0.1:${webPort}`;
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${base}/status/${slug}/api/v2/status.json`)).ok) break;
      } catch {
        // not yet
      }
      await sleep(500);
    }
    const webPids = () => {
      if (WEB === 1) return [web.pid!];
      const r = spawnSync("pgrep", ["-P", String(web.pid)], { encoding: "utf8" });
      return [web.pid!, ...r.stdout.split("\n").filter(Boolean).map(Number)];
    };
    // The page (HTML, through Next.js) last: a backlog it leaves must not eat into the others' runs.
    const paths = { summary: `/status/${slug}/api/v2/summary.json`, badge: `/status/${slug}/badge.svg?component=${componentIds[0]}&uptime=90`, page: `/status/${slug}` };
    /** Waits until the web process answers promptly again (the previous run's queue drained). */
    const settle = async () => {
      for (let i = 0; i < 120; i++) {
        const t = Date.now();
        const ok = await fetch(`${base}/status/${slug}/api/v2/status.json`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok && Date.now() - t < 50) return;
        await sleep(250);
      }
    };
    // Warm-up: every process compiles its routes and loads the snapshot.
    for (const p of Object.values(paths)) await load(`${base}${p}`, 50).catch(() => undefined);

    // The machine's raw limit: a bare node:http server, in its own process, same generator.
    const raw = spawn(
      process.execPath,
      ["-e", `require("http").createServer((q, s) => { s.writeHead(200, { "content-type": "text/plain" }); s.end("ok"); }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    children.push(raw);
    const rawPort = await new Promise<number>((r) => raw.stdout!.once("data", (d: Buffer) => r(Number(String(d).trim()))));
    const rawRuns = { c50: await load(`http://127.0.0.1:${rawPort}/`, 50, [raw.pid!]), c500: await load(`http://127.0.0.1:${rawPort}/`, 500, [raw.pid!]) };
    await stop(raw);
    out.rawNodeHttp = rawRuns;
    log(`raw node:http: ${JSON.stringify(rawRuns)}`);

    const results: Record<string, unknown> = {};
    const only = new Set(flags.only!.split(","));
    for (const [label, p] of Object.entries(paths)) {
      if (!only.has(label)) continue;
      const r: Record<string, unknown> = {};
      for (const c of [50, 500]) {
        await settle();
        const q0 = proxy.counter.queries;
        const run = await load(`${base}${p}`, c, webPids());
        const queries = proxy.counter.queries - q0;
        r[`c${c}`] = { ...run, dbQueries: queries, dbQueriesPerRequest: run.requests ? Number((queries / run.requests).toFixed(4)) : null };
        log(`${label} @${c}: ${JSON.stringify(r[`c${c}`])}`);
      }
      const c50 = r.c50 as Run;
      r.ratioToRaw = Number((c50.requestsPerSecond / rawRuns.c50.requestsPerSecond).toFixed(3));
      results[label] = r;
    }
    out.results = results;

    // A component goes DOWN: its target answers 503; the engine records the transition.
    await settle();
    target.send("down");
    const brokeAt = Date.now();
    let downAt: number | null = null;
    let shownAt: number | null = null;
    let atPlus5: unknown = null;
    const firstComponent = componentIds[0]!;
    while (Date.now() - brokeAt < 60_000) {
      await sleep(50);
      if (downAt === null) {
        const e = await db.query(`select created_at from monitor_events where monitor_id = $1 and to_state = 'DOWN' order by created_at limit 1`, [monitorIds[0]]);
        if (e.rows[0]) downAt = new Date(e.rows[0].created_at).getTime();
      }
      if (shownAt === null) {
        const s = (await (await fetch(`${base}${paths.summary}`)).json()) as { components: { id: string; status: string }[] };
        if (s.components.find((c) => c.id === firstComponent)?.status === "major_outage") shownAt = Date.now();
      }
      if (downAt !== null && shownAt !== null) break;
    }
    if (downAt !== null) {
      await sleep(Math.max(0, downAt + 5000 - Date.now()));
      const s = (await (await fetch(`${base}${paths.summary}`)).json()) as { components: { id: string; status: string }[]; status: { indicator: string; description: string } };
      const b = await (await fetch(`${base}/status/${slug}/badge.svg?component=${firstComponent}`)).text();
      atPlus5 = { component: s.components.find((c) => c.id === firstComponent)?.status, pageStatus: s.status, badgeSaysMajorOutage: b.includes("major outage") };
    }
    out.afterDown = {
      targetBrokenToDownRecordedMs: downAt === null ? null : downAt - brokeAt,
      downRecordedToPageShowsMs: downAt === null || shownAt === null ? null : Math.max(0, shownAt - downAt),
      pageFiveSecondsAfterDown: atPlus5,
      note: "checks every 10 s with confirmations 1, so the first delay is the engine's (up to one interval); the second is the snapshot's",
    };
    log(`after DOWN: ${JSON.stringify(out.afterDown)}`);
  } finally {
    for (const c of children.reverse()) await stop(c);
    await proxy.close();
    await db.end();
    const { closeRedis } = await import("../../src/server/redis");
    await closeRedis().catch(() => undefined);
    await deleteRedisPrefix(prefix);
    await dropTestDatabase(BASE_DATABASE_URL, name);
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
