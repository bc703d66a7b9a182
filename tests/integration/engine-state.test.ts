import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { incidents, maintenanceWindows, monitorEvents, monitors, regions } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { createOrg } from "../helpers/factories";
import { degraded, down, insertMonitor, res, slot, up } from "../helpers/monitor-factory";

async function state(id: string) {
  const [m] = await db().select().from(monitors).where(eq(monitors.id, id));
  return m!.state;
}
const events = (id: string) => db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, id)).orderBy(monitorEvents.id);
const incidentsOf = (id: string) => db().select().from(incidents).where(eq(incidents.monitorId, id)).orderBy(incidents.openedAt);

describe("confirmation and incidents", () => {
  it("needs N consecutive failures for DOWN, opens one incident with the cause, closes it on recovery", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 2, recoveries: 1 });
    await recordResults([res(m.id, up())]);
    expect(await state(m.id)).toBe("UP");

    await recordResults([res(m.id, down())]);
    expect(await state(m.id)).toBe("UP"); // one failure is not news
    await recordResults([res(m.id, up())]);
    await recordResults([res(m.id, down())]);
    expect(await state(m.id)).toBe("UP"); // the counter reset after the success

    await recordResults([res(m.id, down("Expected status 200-299, got 502"))]);
    expect(await state(m.id)).toBe("DOWN");
    const [open] = await incidentsOf(m.id);
    expect(open).toMatchObject({ closedAt: null, causeErrorClass: "status", causeMessage: "Expected status 200-299, got 502", causeStatusCode: 503, regionsDown: ["default"] });

    await recordResults([res(m.id, down())]);
    expect(await incidentsOf(m.id)).toHaveLength(1); // still the same incident

    await recordResults([res(m.id, up())], new Date(open!.openedAt.getTime() + 125_000));
    expect(await state(m.id)).toBe("UP");
    const [closed] = await incidentsOf(m.id);
    expect(closed!.closedAt).not.toBeNull();
    expect(closed!.durationSeconds).toBe(125);

    const ev = await events(m.id);
    expect(ev.map((e) => e.kind)).toEqual(["down", "recovered"]);
    expect(ev[0]).toMatchObject({ fromState: "UP", toState: "DOWN", incidentId: open!.id, suppressed: false });
    expect(ev[1]!.payload).toMatchObject({ downtimeSeconds: 125 });
  });

  it("needs M consecutive successes to leave DOWN", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 1, recoveries: 3 });
    await recordResults([res(m.id, down())]);
    expect(await state(m.id)).toBe("DOWN");
    await recordResults([res(m.id, up())]);
    await recordResults([res(m.id, up())]);
    expect(await state(m.id)).toBe("DOWN");
    await recordResults([res(m.id, up())]);
    expect(await state(m.id)).toBe("UP");
  });

  it("marks DEGRADED and back, with events", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id);
    await recordResults([res(m.id, up())]);
    await recordResults([res(m.id, degraded())]);
    expect(await state(m.id)).toBe("DEGRADED");
    await recordResults([res(m.id, up())]);
    expect((await events(m.id)).map((e) => e.kind)).toEqual(["degraded", "up"]);
  });

  it("applies a batch in slot order, whatever order results arrive in", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 2 });
    const [a, b, c] = [slot(), slot(), slot()];
    await recordResults([res(m.id, up(), "default", c), res(m.id, down(), "default", a), res(m.id, down(), "default", b)]);
    // down, down → DOWN, then up → UP (recoveries 1): two transitions in one batch, ends UP.
    expect(await state(m.id)).toBe("UP");
  });
});

describe("idempotency", () => {
  it("stores a retried result once and counts it once in the rollups", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id);
    const r = res(m.id, up(200));
    const first = await recordResults([r]);
    const again = await recordResults([r, r]);
    expect(first.inserted).toBe(1);
    expect(again.inserted).toBe(0);
    const raw = await db().execute<{ n: string }>(sql`select count(*) as n from check_results where monitor_seq = ${m.seq}`);
    expect(Number(raw.rows[0]!.n)).toBe(1);
    const roll = await db().execute<{ checks: number }>(sql`select checks from check_rollups_hourly where monitor_seq = ${m.seq}`);
    expect(roll.rows.map((x) => x.checks)).toEqual([1]);
  });

  it("drops results of paused monitors and of regions the monitor does not use", async () => {
    const org = await createOrg();
    const paused = await insertMonitor(org.id, { paused: true, state: "PAUSED" });
    const m = await insertMonitor(org.id, { regions: ["default"] });
    const r = await recordResults([res(paused.id, down()), res(m.id, down(), "eu-west")]);
    expect(r.inserted).toBe(0);
    expect(await state(paused.id)).toBe("PAUSED");
    expect(await state(m.id)).toBe("PENDING");
  });
});

describe("multi-region quorum", () => {
  it("is DOWN only when a majority of regions agree, and recovers when a majority is healthy", async () => {
    const org = await createOrg();
    await db()
      .insert(regions)
      .values([
        { id: 901, name: "q-a" },
        { id: 902, name: "q-b" },
        { id: 903, name: "q-c" },
      ])
      .onConflictDoNothing();
    const m = await insertMonitor(org.id, { regions: ["q-a", "q-b", "q-c"], confirmations: 1 });
    const t1 = slot();
    await recordResults([res(m.id, up(), "q-a", t1), res(m.id, up(), "q-b", t1), res(m.id, up(), "q-c", t1)]);
    expect(await state(m.id)).toBe("UP");
    const t2 = slot();
    await recordResults([res(m.id, down(), "q-a", t2), res(m.id, up(), "q-b", t2), res(m.id, up(), "q-c", t2)]);
    expect(await state(m.id)).toBe("UP"); // one region's opinion is not enough
    const t3 = slot();
    await recordResults([res(m.id, down(), "q-a", t3), res(m.id, down(), "q-b", t3), res(m.id, up(), "q-c", t3)]);
    expect(await state(m.id)).toBe("DOWN");
    const [inc] = await incidentsOf(m.id);
    expect(inc!.regionsDown.sort()).toEqual(["q-a", "q-b"]);
    // q-a recovers: q-a + q-c healthy is 2 of 3, a majority, so the monitor is UP again.
    await recordResults([res(m.id, up(), "q-a", slot())]);
    expect(await state(m.id)).toBe("UP");
    expect((await incidentsOf(m.id))[0]!.closedAt).not.toBeNull();
  });

  it("stays DOWN while no majority is healthy", async () => {
    const org = await createOrg();
    await db()
      .insert(regions)
      .values([
        { id: 921, name: "s-a" },
        { id: 922, name: "s-b" },
        { id: 923, name: "s-c" },
      ])
      .onConflictDoNothing();
    const m = await insertMonitor(org.id, { regions: ["s-a", "s-b", "s-c"], confirmations: 1 });
    const t = slot();
    await recordResults([res(m.id, down(), "s-a", t), res(m.id, down(), "s-b", t)]);
    expect(await state(m.id)).toBe("DOWN");
    await recordResults([res(m.id, up(), "s-a", slot())]); // s-c never reported: 1 healthy of 3
    expect(await state(m.id)).toBe("DOWN");
  });

  it("honours an explicit quorum", async () => {
    const org = await createOrg();
    await db()
      .insert(regions)
      .values([
        { id: 911, name: "x-a" },
        { id: 912, name: "x-b" },
      ])
      .onConflictDoNothing();
    const m = await insertMonitor(org.id, { regions: ["x-a", "x-b"], confirmations: 1, quorum: 1 });
    await recordResults([res(m.id, down(), "x-a")]);
    expect(await state(m.id)).toBe("DOWN");
  });
});

describe("maintenance windows", () => {
  it("records transitions inside a window but marks their events suppressed", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 1 });
    const now = new Date();
    await db()
      .insert(maintenanceWindows)
      .values({ organizationId: org.id, name: "Deploy", kind: "one_off", startsAt: new Date(now.getTime() - 60_000), endsAt: new Date(now.getTime() + 60_000), monitorIds: [m.id] });
    await recordResults([res(m.id, down())], now);
    expect(await state(m.id)).toBe("DOWN");
    const [ev] = await events(m.id);
    expect(ev).toMatchObject({ kind: "down", suppressed: true });
    const [inc] = await incidentsOf(m.id);
    expect(inc!.duringMaintenance).toBe(true);
  });

  it("does not suppress monitors outside the window's list", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, { confirmations: 1 });
    const other = await insertMonitor(org.id);
    const now = new Date();
    await db()
      .insert(maintenanceWindows)
      .values({ organizationId: org.id, name: "Other", kind: "one_off", startsAt: new Date(now.getTime() - 60_000), endsAt: new Date(now.getTime() + 60_000), monitorIds: [other.id] });
    await recordResults([res(m.id, down())], now);
    const [ev] = await db()
      .select()
      .from(monitorEvents)
      .where(and(eq(monitorEvents.monitorId, m.id)));
    expect(ev!.suppressed).toBe(false);
  });
});

describe("lateness", () => {
  it("records a check that started 69 s late as 69 s, not the smallint's 32.8 s", async () => {
    const org = await createOrg();
    const m = await insertMonitor(org.id, {});
    const onTime = res(m.id, up());
    const late = res(m.id, up());
    late.startedAt = new Date(late.scheduledAt.getTime() + 69_400);
    await recordResults([onTime, late]);
    const rows = await db().execute<{ ms: number }>(
      sql`select perigee_lateness_ms(r.lateness) as ms from check_results r join monitors m on m.seq = r.monitor_seq where m.id = ${m.id} order by r.scheduled_at`,
    );
    expect(rows.rows.map((r) => r.ms)).toEqual([5, 69_000]);
  });
});
