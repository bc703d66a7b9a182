/**
 * `npm run bench:export` — the data export (issue 13) of one organization with many results,
 * printed as JSON: time, results/s, output bytes (gzip, as `curl --compressed` gets them) and
 * the process's resident memory — before the export (baseline), sampled during it, and the
 * kernel's peak (maxRSS) — so "bounded memory" is a number, not a claim.
 *
 * The export goes through the real code path in this process: the route handler of
 * GET /api/v1/account/export with a bearer key (authentication, scope, audit, the streamed
 * document, gzip), its Response body read to the end. Beside it, the machine's floor for the
 * same rows: the same keyset reads with no encoding (what Postgres and the driver cost alone).
 *
 * Results are written straight into the partitioned check_results with generate_series (one
 * check a minute per monitor, daily partitions created for the span), plus hourly and daily
 * rollups. Flags: --results N (default 10,000,000), --monitors M (default 100).
 * Uses its own database and Redis prefix and removes both at the end.
 */
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { BASE_DATABASE_URL, createTestDatabase, deleteRedisPrefix, dropTestDatabase } from "../helpers/test-db";
import { benchTenant } from "./tenant";

const { values: flags } = parseArgs({ options: { results: { type: "string", default: "10000000" }, monitors: { type: "string", default: "100" } } });
const RESULTS = Number(flags.results);
const MONITORS = Number(flags.monitors);
const PER_MONITOR = Math.ceil(RESULTS / MONITORS);
const DAY = 86_400_000;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function main() {
  const { url, name } = await createTestDatabase(BASE_DATABASE_URL, "bench_export");
  const prefix = `perigee-bench-${randomBytes(4).toString("hex")}:`;
  Object.assign(process.env, TEST_SECRETS, { DATABASE_URL: url, REDIS_PREFIX: prefix, NODE_ENV: "test", LOG_LEVEL: "warn", API_RATE_LIMIT_PER_MINUTE: "100000" });
  try {
    const { runMigrations } = await import("../../src/server/db/migrate");
    await runMigrations(url);
    const { db, pool, closeDb } = await import("../../src/server/db/client");
    const { monitors } = await import("../../src/server/db/schema");
    const { createApiKey } = await import("../../src/server/services/api-keys/create");
    const { closeRedis } = await import("../../src/server/redis");
    const { GET } = await import("../../src/app/api/v1/account/export/route");

    const { orgId, ctx } = await benchTenant();
    await db()
      .insert(monitors)
      .values(
        Array.from({ length: MONITORS }, (_, i) => ({
          id: randomUUID(),
          organizationId: orgId,
          name: `service-${String(i).padStart(3, "0")}`,
          type: "http" as const,
          config: { url: `https://service-${i}.example.com/health`, method: "GET", expectedStatus: [{ from: 200, to: 299 }] },
          intervalSeconds: 60,
          timeoutMs: 5000,
          paused: true,
          state: "PAUSED" as const,
        })),
      );
    const seqs = (await db().select({ seq: monitors.seq }).from(monitors)).map((m) => m.seq);

    // One check a minute per monitor, ending now: daily partitions for the whole span.
    const end = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const days = Math.ceil((PER_MONITOR * 60_000) / DAY) + 1;
    for (let d = -days; d <= 1; d++) {
      const from = new Date(Math.floor(end.getTime() / DAY) * DAY + d * DAY);
      const tag = from.toISOString().slice(0, 10).replace(/-/g, "");
      await pool().query(
        `create table if not exists "check_results_p${tag}" partition of check_results for values from ('${from.toISOString()}') to ('${new Date(from.getTime() + DAY).toISOString()}')`,
      );
    }
    let t0 = performance.now();
    for (const [i, seq] of seqs.entries()) {
      await pool().query(
        `insert into check_results (scheduled_at, monitor_seq, total_ms, ttfb_ms, dns_ms, connect_ms, tls_ms, status_code, region_id, result, lateness)
         select $2::timestamptz - make_interval(mins => g), $1, 80 + (g * 37) % 200, 60 + (g * 37) % 150, 2, 5, case when g % 3 = 0 then -1 else 11 end,
           case when g % 997 = 0 then 503 else 200 end, 1, case when g % 997 = 0 then 34 else 0 end, g % 40
         from generate_series(0, $3 - 1) g`,
        [seq, end, PER_MONITOR],
      );
      if ((i + 1) % 10 === 0) log(`inserted results for ${i + 1}/${seqs.length} monitors (${Math.round((performance.now() - t0) / 1000)} s)`);
    }
    await pool().query(
      `insert into check_rollups_hourly (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
       select s, date_trunc('hour', $2::timestamptz) - make_interval(hours => h), 60, 60, 0, 60 * 120, '{0,0,3,20,30,7}'::int[]
       from unnest($1::int[]) s, generate_series(0, $3 * 24) h`,
      [seqs, end, days],
    );
    await pool().query(
      `insert into check_rollups_daily (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
       select s, date_trunc('day', $2::timestamptz) - make_interval(days => d), 1440, 1438, 3, 1438 * 120, '{0,0,70,480,700,190}'::int[]
       from unnest($1::int[]) s, generate_series(0, $3) d`,
      [seqs, end, days],
    );
    await pool().query("analyze");
    const stored = Number((await pool().query<{ n: string }>("select count(*) as n from check_results")).rows[0]!.n);
    log(`setup: ${stored} results in ${Math.round((performance.now() - t0) / 1000)} s`);
    const { key } = await createApiKey({ ctx, input: { name: "bench", scopes: ["account:export"] } });

    // The floor: the same keyset reads of every result, nothing encoded or sent.
    t0 = performance.now();
    let floorRows = 0;
    for (const seq of seqs) {
      let after: [string, number] | null = null;
      for (;;) {
        const r: { rows: [string, number][] } = await pool().query<[string, number]>({
          text: `select (extract(epoch from scheduled_at) * 1000000)::int8, region_id, result, status_code, total_ms, dns_ms, connect_ms, tls_ms, ttfb_ms from check_results
            where monitor_seq = $1 and scheduled_at >= $2 and ($3::int8 is null or (scheduled_at, region_id) > ('epoch'::timestamptz + $3::int8 * interval '1 microsecond', $4::smallint))
            order by scheduled_at, region_id limit 10000`,
          values: [seq, new Date(0), after?.[0] ?? null, after?.[1] ?? null],
          rowMode: "array",
        });
        floorRows += r.rows.length;
        if (r.rows.length < 10000) break;
        after = r.rows[r.rows.length - 1]!;
      }
    }
    const floorSeconds = (performance.now() - t0) / 1000;
    log(`floor: ${floorRows} rows read in ${floorSeconds.toFixed(1)} s`);

    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
    const baselineRss = process.memoryUsage().rss;
    const maxRssBefore = process.resourceUsage().maxRSS * 1024;
    let peakSampled = baselineRss;
    const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, process.memoryUsage().rss)), 50);

    t0 = performance.now();
    const res = await GET(new Request("http://localhost/api/v1/account/export", { headers: { authorization: `Bearer ${key}`, "accept-encoding": "gzip", "x-perigee-client-ip": "127.0.0.1" } }), {
      params: Promise.resolve({}),
    });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const firstByteMs = performance.now() - t0;
    let bytes = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const maxRssAfter = process.resourceUsage().maxRSS * 1024;

    const out = {
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() },
      settings: { results: stored, monitors: MONITORS, batchRows: 10_000, gzip: true },
      export: {
        seconds: Math.round(seconds * 10) / 10,
        firstByteMs: Math.round(firstByteMs),
        resultsPerSecond: Math.round(stored / seconds),
        outputMiB: mib(bytes),
        rssBaselineMiB: mib(baselineRss),
        rssPeakSampledMiB: mib(peakSampled),
        rssGrowthMiB: mib(peakSampled - baselineRss),
        maxRssBeforeMiB: mib(maxRssBefore),
        maxRssAfterMiB: mib(maxRssAfter),
      },
      floor: { what: "the same keyset reads, nothing encoded", seconds: Math.round(floorSeconds * 10) / 10, rowsPerSecond: Math.round(floorRows / floorSeconds) },
      ratio: Math.round((seconds / floorSeconds) * 100) / 100,
    };
    console.log(JSON.stringify(out, null, 2));
    await closeDb();
    await closeRedis();
  } finally {
    await deleteRedisPrefix(prefix);
    await dropTestDatabase(BASE_DATABASE_URL, name);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
