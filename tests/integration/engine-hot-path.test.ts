import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "../../src/server/db/client";
import { redis } from "../../src/server/redis";
import { withCheckLock } from "../../src/server/monitors/check-lock";
import { ResultBatcher } from "../../src/server/monitors/batcher";
import { recordResults, type ResultInput } from "../../src/server/monitors/record-results";
import { refreshUptimeSummaries, uptime90dFor } from "../../src/server/monitors/uptime-summary";
import { createOrg } from "../helpers/factories";
import { down, insertMonitor, up } from "../helpers/monitor-factory";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("check lock (ADR 13)", () => {
  it("never runs two checks of one monitor/region at once, with many asked for in the same turn", async () => {
    const monitorIds = Array.from({ length: 8 }, () => randomUUID());
    const running = new Map<string, number>();
    let worst = 0;
    let ran = 0;
    await Promise.all(
      Array.from({ length: 64 }, (_, i) => {
        const id = monitorIds[i % monitorIds.length]!;
        return withCheckLock(id, "default", 1_000_000 + i, 10_000, async () => {
          running.set(id, (running.get(id) ?? 0) + 1);
          worst = Math.max(worst, running.get(id)!);
          await sleep(5);
          running.set(id, running.get(id)! - 1);
          ran++;
        });
      }),
    );
    expect(ran).toBe(64);
    expect(worst).toBe(1);
  });

  it("waits for another process's check of an earlier slot, takes over its own slot, and takes over a stuck lock after the TTL", async () => {
    const id = randomUUID();
    const key = `lock:check:${id}:default`;
    // Another process holds the slot 1000.
    await redis().set(key, "1000", "PX", 10_000);
    let started = 0;
    const later = withCheckLock(id, "default", 61_000, 10_000, async () => {
      started = Date.now();
    });
    await sleep(500);
    expect(started).toBe(0);
    const released = Date.now();
    await redis().del(key);
    await later;
    expect(started).toBeGreaterThanOrEqual(released);

    // A retry of the slot another process was running (it died) takes the lock over at once.
    await redis().set(key, "2000", "PX", 10_000);
    const t = Date.now();
    expect(await withCheckLock(id, "default", 2000, 10_000, async () => "ran")).toBe("ran");
    expect(Date.now() - t).toBeLessThan(5_000);
    await expect.poll(() => redis().get(key)).toBeNull(); // released (off the job's path): it was ours

    // A holder that never lets go is taken over once the waiter's TTL has passed.
    await redis().set(key, "3000", "PX", 60_000);
    const t2 = Date.now();
    await withCheckLock(id, "default", 4000, 700, async () => undefined);
    expect(Date.now() - t2).toBeGreaterThanOrEqual(700);
  });
});

describe("results batches", () => {
  it("apply a monitor's results in order even when they arrive while an earlier batch of it is in flight", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 1, recoveries: 1 });
    const seen: string[][] = [];
    const batcher = new ResultBatcher({
      maxSize: 1,
      maxWaitMs: 1,
      parallel: 3,
      record: async (batch: ResultInput[]) => {
        seen.push(batch.map((b) => b.result.outcome));
        await sleep(50);
        return recordResults(batch);
      },
    });
    const base = Date.UTC(2026, 10, 25, 10, 0, 0);
    const at = (i: number) => ({ monitorId: m.id, region: "default", scheduledAt: new Date(base + i * 60_000), startedAt: new Date(base + i * 60_000 + 5) });
    await Promise.all([batcher.add({ ...at(0), result: up() }), batcher.add({ ...at(1), result: down() }), batcher.add({ ...at(2), result: up() })]);
    await batcher.flush();
    // One batch at a time for this monitor, in arrival order: UP, DOWN, UP.
    expect(seen).toEqual([["up"], ["down"], ["up"]]);
    const events = await db().execute<{ kind: string }>(sql`select kind from monitor_events where monitor_id = ${m.id} order by id`);
    expect(events.rows.map((e) => e.kind)).toEqual(["down", "recovered"]);
  });

  it("keep today's running counts in the 90-day summary, equal to the daily rollup, and the uptime reads them", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 1, recoveries: 1 });
    const now = new Date();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const results = [up(), up(), down(), up()].map((result, i) => ({
      monitorId: m.id,
      region: "default",
      scheduledAt: new Date(today + i * 1000),
      startedAt: new Date(today + i * 1000 + 5),
      result,
    }));
    await recordResults(results.slice(0, 2));
    await recordResults(results.slice(2));
    await recordResults(results.slice(2)); // a retried batch counts nothing twice
    // Two days ago: counted by the hourly refresh of complete days.
    await recordResults([{ ...results[0]!, scheduledAt: new Date(today - 2 * 86_400_000), startedAt: new Date(today - 2 * 86_400_000) }]);

    const row = await db().execute<{ today: string; today_checks: number; today_successes: number }>(
      sql`select today::text, today_checks, today_successes from uptime_90d where monitor_seq = ${m.seq}`,
    );
    expect(row.rows[0]).toEqual({ today: new Date(today).toISOString().slice(0, 10), today_checks: 4, today_successes: 3 });
    const daily = await db().execute<{ checks: number; successes: number }>(
      sql`select checks, successes from check_rollups_daily where monitor_seq = ${m.seq} and bucket = ${new Date(today).toISOString()}::timestamptz`,
    );
    expect(daily.rows[0]).toEqual({ checks: 4, successes: 3 });

    await refreshUptimeSummaries(now);
    const u = (await uptime90dFor([m.seq], now)).get(m.seq)!;
    expect(u).toEqual({ checks: 5, successes: 4, uptimePercent: 80 });
  });
});
