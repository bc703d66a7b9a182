import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { apiAccessLog, auditLog, checkFailures, incidents, monitorEvents, monitors, organizations } from "../../src/server/db/schema";
import { MAINTENANCE_QUEUE } from "../../src/server/jobs/catalog";
import { dispatcher } from "../../src/server/jobs/processors";
import { ensurePartitions } from "../../src/server/monitors/partitions";
import { sharedQueue } from "../../src/server/monitors/schedule";
import { retentionRules, runRetention } from "../../src/server/privacy/retention";
import { deleteMonitors } from "../../src/server/services/monitors/delete";
import { createOrg, createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";

const DAY = 86_400_000;
// Per-plan deletes are limited to this file's organizations (other files' tenants run beside
// them); rows are dated relative to now, so a worker's own daily pass (self-hosted, 365 days)
// running meanwhile deletes nothing this file expects to stay.
const NOW = new Date();
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const partition = (d: Date) => `check_results_p${d.toISOString().slice(0, 10).replace(/-/g, "")}`;

async function addResult(seq: number, at: Date) {
  await db().execute(sql`insert into check_results (scheduled_at, monitor_seq, total_ms, ttfb_ms, dns_ms, connect_ms, tls_ms, status_code, region_id, result, lateness)
    values (${at.toISOString()}::timestamptz, ${seq}, 100, 90, 1, 1, 1, 200, 1, 0, 0) on conflict do nothing`);
}
async function addRollups(seq: number, at: Date) {
  for (const t of ["check_rollups_hourly", "check_rollups_daily"]) {
    await db().execute(sql`insert into ${sql.identifier(t)} (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
      values (${seq}, ${at.toISOString()}::timestamptz, 10, 10, 0, 1000, '{}'::int[]) on conflict do nothing`);
  }
}
const count = async (query: ReturnType<typeof sql>) => Number((await db().execute<{ n: string }>(query)).rows[0]!.n);
const results = (seq: number) => count(sql`select count(*) as n from check_results where monitor_seq = ${seq}`);
const rollups = (seq: number) => count(sql`select (select count(*) from check_rollups_hourly where monitor_seq = ${seq}) + (select count(*) from check_rollups_daily where monitor_seq = ${seq}) as n`);

/** One organization's rows at the given ages: results, rollups, a closed incident with its event, a failure message, an access log line, an audit entry. */
async function seed(orgId: string, seq: number, monitorId: string, ages: number[]) {
  for (const age of ages) {
    const at = daysAgo(age);
    await addResult(seq, at);
    await addRollups(seq, at);
    const [inc] = await db()
      .insert(incidents)
      .values({ organizationId: orgId, monitorId, openedAt: at, closedAt: new Date(at.getTime() + 60_000), durationSeconds: 60 })
      .returning();
    await db().insert(monitorEvents).values({ organizationId: orgId, monitorId, incidentId: inc!.id, kind: "down", createdAt: at, notifyAfter: at, processedAt: at });
    await db().insert(checkFailures).values({ monitorId, region: "default", scheduledAt: at, errorClass: "status", message: "503" });
    await db().insert(apiAccessLog).values({ organizationId: orgId, method: "GET", route: "/api/v1/monitors", status: 200, latencyMs: 1, createdAt: at });
    await db().insert(auditLog).values({ organizationId: orgId, action: "monitor.updated", ip: "203.0.113.9", userAgent: "test", createdAt: at });
  }
}

async function ages(orgId: string, seq: number, monitorId: string) {
  const age = (d: Date) => Math.round((NOW.getTime() - d.getTime()) / DAY);
  const r = await db().execute<{ scheduled_at: string }>(sql`select scheduled_at from check_results where monitor_seq = ${seq} order by scheduled_at desc`);
  return {
    results: r.rows.map((x) => age(new Date(x.scheduled_at))),
    rollups: await rollups(seq),
    incidents: (await db().select().from(incidents).where(eq(incidents.monitorId, monitorId))).map((i) => (i.closedAt ? age(i.openedAt) : "open")).sort(),
    events: (await db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, monitorId))).map((e) => age(e.createdAt)).sort(),
    failures: (await db().select().from(checkFailures).where(eq(checkFailures.monitorId, monitorId))).map((f) => age(f.scheduledAt)).sort(),
    accessLog: (await db().select().from(apiAccessLog).where(eq(apiAccessLog.organizationId, orgId))).map((a) => age(a.createdAt)).sort(),
    audit: (await db().select().from(auditLog).where(eq(auditLog.organizationId, orgId))).map((a) => age(a.createdAt)).sort(),
  };
}

describe("retention", () => {
  it("deletes past each plan's retention and keeps what is within it; drops whole partitions past the longest; a second run deletes nothing", async () => {
    const ageList = [12, 92, 397];
    for (const a of ageList) await ensurePartitions(daysAgo(a), 0);
    const free = await createOrg("Free");
    const pro = await createOrg("Pro");
    await db().update(organizations).set({ planOverride: "pro" }).where(eq(organizations.id, pro.id));
    const fm = await insertMonitor(free.id);
    const pm = await insertMonitor(pro.id);
    await seed(free.id, fm.seq, fm.id, ageList);
    await seed(pro.id, pm.seq, pm.id, ageList);
    // An incident still open is kept whatever its age.
    await db()
      .insert(incidents)
      .values({ organizationId: free.id, monitorId: fm.id, openedAt: daysAgo(397) });

    const counts = await runRetention({ now: NOW, enabled: true, organizationIds: [free.id, pro.id] });
    expect(counts.partitionsDropped).toBeGreaterThanOrEqual(1);
    const left = await db().execute(sql`select 1 from pg_class where relname = ${partition(daysAgo(397))}`);
    expect(left.rows).toHaveLength(0);

    // Free keeps 30 days; the audit log is kept AUDIT_RETENTION_DAYS (365) whatever the plan.
    expect(await ages(free.id, fm.seq, fm.id)).toEqual({ results: [12], rollups: 2, incidents: [12, "open"], events: [12], failures: [12], accessLog: [12], audit: [12, 92] });
    // Pro keeps 365 days.
    expect(await ages(pro.id, pm.seq, pm.id)).toEqual({ results: [12, 92], rollups: 4, incidents: [12, 92], events: [12, 92], failures: [12, 92], accessLog: [12, 92], audit: [12, 92] });
    expect(counts).toMatchObject({ results: expect.any(Number), incidents: expect.any(Number), auditLog: expect.any(Number) });
    expect(counts.results).toBeGreaterThanOrEqual(1);
    expect(counts.incidents).toBeGreaterThanOrEqual(3);

    const before = [await ages(free.id, fm.seq, fm.id), await ages(pro.id, pm.seq, pm.id)];
    await runRetention({ now: NOW, enabled: true, organizationIds: [free.id, pro.id] });
    expect([await ages(free.id, fm.seq, fm.id), await ages(pro.id, pm.seq, pm.id)]).toEqual(before);
  });

  it("states each retention for the dashboard: the plan's for monitoring data and the API access log, the install's for the rest", () => {
    const rules = Object.fromEntries(retentionRules({ retentionDays: 30 }).map((r) => [r.what, r.days]));
    expect(rules).toMatchObject({
      "Check results (raw)": 30,
      "Hourly and daily rollups": 30,
      "Incidents and monitor events": 30,
      "API access log": 30,
      "Audit log": 365,
      "Notification log": 90,
      "Server logs": 90,
    });
  });

  it("self-hosted keeps RETENTION_DAYS (365 by default) for every organization", async () => {
    await ensurePartitions(daysAgo(200), 0);
    const org = await createOrg("Self-hosted");
    const m = await insertMonitor(org.id);
    await seed(org.id, m.seq, m.id, [200]);
    await runRetention({ now: NOW, enabled: false, organizationIds: [org.id] });
    expect((await ages(org.id, m.seq, m.id)).results).toEqual([200]);
  });

  it("deleting a monitor deletes its results and rollups (a queued job), and nothing of another monitor", async () => {
    await ensurePartitions(new Date(), 0);
    const t = await createTenant();
    const gone = await insertMonitor(t.org.id);
    const kept = await insertMonitor(t.org.id);
    const at = new Date(Date.now() - 3_600_000);
    for (const m of [gone, kept]) {
      await addResult(m.seq, at);
      await addResult(m.seq, new Date(at.getTime() + 60_000));
      await addRollups(m.seq, at);
      await db().execute(sql`insert into uptime_90d (monitor_seq, through_day, checks, successes) values (${m.seq}, current_date - 1, 10, 10)`);
    }
    await deleteMonitors({ ctx: t.ctx.EDITOR, monitorIds: [gone.id] });

    const job = await sharedQueue(MAINTENANCE_QUEUE).getJob(`delete-results-${gone.seq}`);
    expect(job?.data).toEqual({ seqs: [gone.seq] });
    expect(await dispatcher(MAINTENANCE_QUEUE)(job!)).toEqual({ results: 2, hourly: 1, daily: 1, summaries: 1 });
    await job!.remove();

    expect([await results(gone.seq), await rollups(gone.seq)]).toEqual([0, 0]);
    expect([await results(kept.seq), await rollups(kept.seq)]).toEqual([2, 2]);
    expect(await count(sql`select count(*) as n from uptime_90d where monitor_seq = ${kept.seq}`)).toBe(1);
  });

  it("the daily pass deletes results and rollups a lost delete job left behind", async () => {
    await ensurePartitions(new Date(), 0);
    const org = await createOrg();
    const m = await insertMonitor(org.id);
    await addResult(m.seq, new Date(Date.now() - 7_200_000));
    await addRollups(m.seq, new Date(Date.now() - 7_200_000));
    // Deleted without its job (as before results were deleted with their monitor, or a flushed Redis).
    await db().delete(monitors).where(eq(monitors.id, m.id));
    const counts = await runRetention({ now: NOW, enabled: true, organizationIds: [org.id] });
    expect(counts.orphanedMonitors).toBeGreaterThanOrEqual(1);
    expect([await results(m.seq), await rollups(m.seq)]).toEqual([0, 0]);
  });
});
