import { spawnWorker } from "../helpers/worker-process";
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { regionId } from "../../src/server/monitors/regions";
import { checkQueue } from "../../src/server/monitors/schedule";
import { createOrg } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";

const region = `crash-${randomBytes(3).toString("hex")}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let target: http.Server;
let url: string;
beforeAll(async () => {
  // Slow enough that a kill lands while checks are in flight.
  target = http.createServer((_req, res) => setTimeout(() => res.end("ok"), 400));
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  await regionId(region);
});
afterAll(async () => {
  target.closeAllConnections();
  await new Promise((r) => target.close(r));
});

function startWorker(): ChildProcess {
  return spawnWorker({ WORKER_REGION: region, CHECK_CONCURRENCY: "8", CHECK_LOCK_MS: "2000", CHECK_STALLED_INTERVAL_MS: "1000" });
}

const BASE = Date.UTC(2026, 10, 22, 8, 0, 0);
const SLOTS = [0, 1, 2, 3].map((k) => new Date(BASE + k * 60_000).toISOString());

// Only the slots this test enqueued: the worker's reconciler also schedules these monitors.
async function countFor(seqs: number[]) {
  const r = await db().execute<{ n: string; d: string }>(sql`
    select count(*) as n, count(distinct (monitor_seq, scheduled_at, region_id)) as d from check_results
    where monitor_seq = any(${sql.param(seqs)}::int[]) and scheduled_at = any(${sql.param(SLOTS)}::timestamptz[])`);
  return { n: Number(r.rows[0]!.n), distinct: Number(r.rows[0]!.d) };
}

async function enqueue(monitorIds: string[], slots: number) {
  const base = BASE;
  for (let k = 0; k < slots; k++) {
    await checkQueue(region).addBulk(monitorIds.map((monitorId) => ({ name: "check", data: { monitorId, version: 1, region }, opts: { timestamp: base + k * 60_000, removeOnComplete: true } })));
  }
}

describe("worker crash and shutdown", () => {
  it("a worker killed mid-check loses no check and stores none twice", { timeout: 90_000 }, async () => {
    const org = await createOrg();
    const ms = await Promise.all(Array.from({ length: 12 }, () => insertMonitor(org.id, { regions: [region], config: { url, method: "GET", expectedStatus: [{ from: 200, to: 299 }] } })));
    const seqs = ms.map((m) => m.seq);
    const total = ms.length * 4;
    await enqueue(
      ms.map((m) => m.id),
      4,
    );

    const first = startWorker();
    while ((await countFor(seqs)).n < 8) await sleep(100);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = (await countFor(seqs)).n;
    expect(atKill).toBeLessThan(total);

    const second = startWorker();
    const deadline = Date.now() + 60_000;
    while ((await countFor(seqs)).n < total && Date.now() < deadline) await sleep(200);
    // Give a late duplicate the chance to show up before asserting there is none.
    await sleep(1500);
    second.kill("SIGTERM");
    await new Promise((r) => second.once("exit", r));
    expect(await countFor(seqs)).toEqual({ n: total, distinct: total });
  });

  it("SIGTERM lets running checks finish and store; queued ones wait for the next worker", { timeout: 90_000 }, async () => {
    const org = await createOrg();
    const ms = await Promise.all(Array.from({ length: 10 }, () => insertMonitor(org.id, { regions: [region], config: { url, method: "GET", expectedStatus: [{ from: 200, to: 299 }] } })));
    const seqs = ms.map((m) => m.seq);
    const total = ms.length * 4;
    await enqueue(
      ms.map((m) => m.id),
      4,
    );
    const w = startWorker();
    while ((await countFor(seqs)).n < 4) await sleep(100);
    w.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => w.once("exit", r));
    expect(code).toBe(0);
    const afterStop = await countFor(seqs);
    const active = await checkQueue(region).getActiveCount();
    expect(active).toBe(0); // nothing was left half-done
    const w2 = startWorker();
    const deadline = Date.now() + 60_000;
    while ((await countFor(seqs)).n < total && Date.now() < deadline) await sleep(200);
    w2.kill("SIGTERM");
    await new Promise((r) => w2.once("exit", r));
    expect(afterStop.n).toBeLessThan(total);
    expect(await countFor(seqs)).toEqual({ n: total, distinct: total });
  });
});
