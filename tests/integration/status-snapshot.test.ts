import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { monitors, statusPages } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { pageById, pageBySlug, refreshStatusSnapshots } from "../../src/server/status/cache";
import { invalidateStatusPages } from "../../src/server/status/invalidate";
import { buildSnapshot } from "../../src/server/status/snapshot";
import { createTenant } from "../helpers/factories";
import { countingQueries } from "../helpers/api";
import { down, insertMonitor } from "../helpers/monitor-factory";
import { insertComponent, insertIncident, insertMaintenance, insertPage, insertSection } from "../helpers/status-factory";
import { until } from "../helpers/until";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("status snapshot build", () => {
  it("derives component statuses from monitors, maintenance windows and incident overrides", async () => {
    const t = await createTenant("Snap");
    const page = await insertPage(t.org.id, { name: "Snap Status" });
    const core = await insertSection(page.id, "Core", 0);
    const downMon = await insertMonitor(t.org.id, { state: "DOWN", paused: false });
    const degMon = await insertMonitor(t.org.id, { state: "DEGRADED", paused: false });
    const upMon = await insertMonitor(t.org.id, { state: "UP", paused: false });
    const maintMon = await insertMonitor(t.org.id, { state: "DOWN", paused: false });
    const overMon = await insertMonitor(t.org.id, { state: "UP", paused: false });
    await insertComponent(page, { name: "API", monitor: downMon, sectionId: core.id, position: 0 });
    await insertComponent(page, { name: "Search", monitor: degMon, sectionId: core.id, position: 1 });
    const c = await insertComponent(page, { name: "Web", monitor: upMon, position: 0 });
    const d = await insertComponent(page, { name: "DB", monitor: maintMon, sectionId: core.id, position: 2 });
    const e = await insertComponent(page, { name: "CDN", monitor: overMon, sectionId: core.id, position: 3 });
    const now = Date.now();
    await insertMaintenance(page, { startsAt: new Date(now - HOUR), endsAt: new Date(now + HOUR), components: [d] });
    await insertIncident(page, { title: "CDN slow", impact: "minor", components: [{ id: e.id, status: "partial_outage" }], updates: [{ status: "investigating", body: "Looking **now**" }] });
    await insertIncident(page, { title: "Draft only", publishedAt: null, components: [{ id: c.id, status: "major_outage" }] });
    await insertIncident(page, {
      title: "Old resolved",
      resolvedAt: new Date(now - 2 * DAY),
      createdAt: new Date(now - 3 * DAY),
      status: "resolved",
      components: [{ id: c.id, status: "major_outage" }],
    });

    const entry = (await buildSnapshot(page.id))!;
    const by = Object.fromEntries(entry.snapshot.components.map((x) => [x.name, x]));
    expect(by.API!.status).toBe("major_outage");
    expect(by.Search!.status).toBe("degraded_performance");
    expect(by.Web!.status).toBe("operational");
    expect(by.DB!.status).toBe("under_maintenance");
    expect(by.CDN!.status).toBe("partial_outage");
    // Unsectioned first, then the section's components in order.
    expect(entry.snapshot.components.map((x) => x.name)).toEqual(["Web", "API", "Search", "DB", "CDN"]);
    expect(entry.snapshot.indicator).toBe("major");
    expect(entry.snapshot.banner).toBe("partial_outage");
    expect(entry.snapshot.incidents.map((i) => i.title)).toEqual(["CDN slow", "Old resolved"]);
    expect(entry.snapshot.incidents[0]!.updates[0]!.html).toBe("<p>Looking <strong>now</strong></p>");
    expect(JSON.stringify(entry)).not.toContain("Draft only");
    expect(entry.snapshot.maintenances[0]).toMatchObject({ status: "in_progress", components: [{ id: d.id, name: "DB" }] });
    expect(by.Web!.days).toHaveLength(90);
    expect(by.Web!.days.at(-3)!.incidents.map((i) => i.title)).toContain("Old resolved");
    expect(entry.snapshot.page.url).toMatch(new RegExp(`/status/${page.slug}$`));
    expect(entry.gate).toMatchObject({ organizationId: t.org.id, published: true, access: "public" });
  });

  it("reads daily bars, 30/90-day uptime and hourly response times from the rollups", async () => {
    const t = await createTenant("Bars");
    const page = await insertPage(t.org.id);
    const c = await insertComponent(page, { name: "API", showResponseTime: true });
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const hour = new Date();
    hour.setUTCMinutes(0, 0, 0);
    await db().execute(sql`insert into check_rollups_daily (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist) values
      (${c.monitor.seq}, ${today.toISOString()}::timestamptz, 100, 100, 0, 10000, '{}'),
      (${c.monitor.seq}, ${new Date(today.getTime() - 10 * DAY).toISOString()}::timestamptz, 100, 50, 0, 5000, '{}'),
      (${c.monitor.seq}, ${new Date(today.getTime() - 60 * DAY).toISOString()}::timestamptz, 200, 0, 0, 0, '{}')`);
    await db().execute(sql`insert into check_rollups_hourly (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist) values
      (${c.monitor.seq}, ${hour.toISOString()}::timestamptz, 10, 10, 0, 1230, '{}')`);
    const s = (await buildSnapshot(page.id))!.snapshot.components[0]!;
    expect(s.days.at(-1)).toMatchObject({ date: today.toISOString().slice(0, 10), uptime: 100 });
    expect(s.days.at(-11)!.uptime).toBe(50);
    expect(s.days.at(-2)!.uptime).toBeNull();
    expect(s.uptime30).toBe(75);
    expect(s.uptime90).toBe(37.5);
    expect(s.responseTimes).toEqual([{ t: hour.toISOString(), ms: 123 }]);
  });
});

describe("status snapshot cache", () => {
  it("serves a warm page with zero database queries", async () => {
    const t = await createTenant("Warm");
    const page = await insertPage(t.org.id);
    await insertComponent(page, { name: "API" });
    expect((await pageBySlug(page.slug))!.entry.snapshot.page.id).toBe(page.id);
    await new Promise((r) => setTimeout(r, 1100)); // past the memory revalidation: Redis is asked, not Postgres
    const { result, queries } = await countingQueries(async () => {
      const out = [];
      for (let i = 0; i < 50; i++) out.push(await pageBySlug(page.slug));
      return out;
    });
    expect(queries).toBe(0);
    expect(result.every((r) => r?.entry.snapshot.page.id === page.id && !r.stale)).toBe(true);
  });

  it("shows a monitor going DOWN within 5 s (engine → invalidation), and the worker job rebuilds marked pages", async () => {
    const t = await createTenant("Inval");
    const page = await insertPage(t.org.id);
    const m = await insertMonitor(t.org.id, { paused: false, confirmations: 1, state: "UP" });
    await insertComponent(page, { name: "API", monitor: m });
    expect((await pageById(page.id))!.entry.snapshot.components[0]!.status).toBe("operational");
    const started = Date.now();
    await recordResults([{ monitorId: m.id, region: "default", scheduledAt: new Date(), startedAt: new Date(), result: down() }]);
    await until(async () => (await pageById(page.id))?.entry.snapshot.components[0]!.status === "major_outage", 5000);
    expect(Date.now() - started).toBeLessThan(5000);

    // A change made without the hook: marked stale, rebuilt by the job.
    await db().update(statusPages).set({ name: "Renamed" }).where(eq(statusPages.id, page.id));
    await db().update(monitors).set({ state: "UP" }).where(eq(monitors.id, m.id));
    await invalidateStatusPages({ organizationId: t.org.id });
    await refreshStatusSnapshots();
    await until(async () => (await pageById(page.id))?.entry.snapshot.page.name === "Renamed", 5000);
  });

  it("rebuilds a page when its maintenance starts, without any write", async () => {
    const t = await createTenant("Due");
    const page = await insertPage(t.org.id);
    const c = await insertComponent(page, { name: "DB" });
    await insertMaintenance(page, { startsAt: new Date(Date.now() + 1500), endsAt: new Date(Date.now() + HOUR), components: [c] });
    const before = (await pageById(page.id))!.entry.snapshot;
    expect(before.maintenances[0]!.status).toBe("scheduled");
    expect(before.components[0]!.status).toBe("operational");
    await new Promise((r) => setTimeout(r, 1600));
    await refreshStatusSnapshots();
    const after = (await pageById(page.id))!.entry.snapshot;
    expect(after.maintenances[0]!.status).toBe("in_progress");
    expect(after.components[0]!.status).toBe("under_maintenance");
  });
});
