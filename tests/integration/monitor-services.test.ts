import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, monitorEvents, monitors, organizations } from "../../src/server/db/schema";
import { Forbidden, Invalid, NotFound, PlanLimitReached } from "../../src/server/errors";
import { createMonitor } from "../../src/server/services/monitors/create";
import { updateMonitor } from "../../src/server/services/monitors/update";
import { deleteMonitors } from "../../src/server/services/monitors/delete";
import { setMonitorsPaused } from "../../src/server/services/monitors/set-paused";
import { getMonitor } from "../../src/server/services/monitors/get";
import { listMonitors } from "../../src/server/services/monitors/list";
import { getUptime } from "../../src/server/services/monitors/uptime";
import { dailyBars } from "../../src/server/services/monitors/daily-bars";
import { recentResults } from "../../src/server/services/monitors/recent-results";
import { recentFailures } from "../../src/server/services/monitors/recent-failures";
import { listIncidents } from "../../src/server/services/monitors/list-incidents";
import { checkQueue, schedulerId } from "../../src/server/monitors/schedule";
import { recordResults } from "../../src/server/monitors/record-results";
import { recordPing, sweepHeartbeats } from "../../src/server/monitors/heartbeat";
import { createTenant } from "../helpers/factories";
import { down, res, up } from "../helpers/monitor-factory";

const http = (over: Record<string, unknown> = {}) => ({ name: "Homepage", type: "http", url: "https://example.com/", intervalSeconds: 60, ...over });

let t: Awaited<ReturnType<typeof createTenant>>;
let other: Awaited<ReturnType<typeof createTenant>>;
beforeAll(async () => {
  t = await createTenant("Monitors Inc");
  other = await createTenant("Other Inc");
});

describe("createMonitor", () => {
  it("creates an HTTP monitor, stores secrets sealed, schedules it, audits it", async () => {
    const m = await createMonitor({
      ctx: t.ctx.EDITOR,
      input: http({ headers: { "X-Api-Key": "s3cret-header" }, authType: "bearer", authToken: "tok-123456", expectedStatus: ["200-299", 301] }),
    });
    expect(m).toMatchObject({ type: "http", url: "https://example.com/", state: "PENDING", intervalSeconds: 60, confirmations: 2, headers: { "X-Api-Key": "••••••" } });
    expect(JSON.stringify(m)).not.toContain("s3cret-header");
    expect(JSON.stringify(m)).not.toContain("tok-123456");
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(JSON.stringify(row)).not.toContain("s3cret-header");
    expect(row!.secretsEnc).toMatch(/^v1\./);
    const schedulers = await checkQueue("default").getJobSchedulers(0, -1);
    const s = schedulers.find((x) => x.key === schedulerId(m.id));
    expect(s?.every).toBe(60_000);
    const audits = await db().select().from(auditLog).where(eq(auditLog.targetId, m.id));
    expect(audits.map((a) => a.action)).toContain("monitor.created");
  });

  it("gives field-level messages for malformed input", async () => {
    const err = await createMonitor({ ctx: t.ctx.ADMIN, input: http({ url: "not a url", intervalSeconds: 5, timeoutMs: 100 }) }).catch((e) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect(Object.keys(err.fields).sort()).toEqual(["intervalSeconds", "timeoutMs", "url"]);
    const tcp = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "db", type: "tcp", host: "db.example.com" } }).catch((e) => e);
    expect(tcp.fields.port[0]).toMatch(/Port is required/);
    const ftp = await createMonitor({ ctx: t.ctx.ADMIN, input: http({ url: "ftp://example.com/" }) }).catch((e) => e);
    expect(ftp.fields.url[0]).toMatch(/Only http/);
  });

  it("refuses more monitors than the organization's limit and intervals below its minimum", async () => {
    const small = await createTenant("Small");
    await db().update(organizations).set({ maxMonitors: 1, minIntervalSeconds: 300 }).where(eq(organizations.id, small.org.id));
    const e1 = await createMonitor({ ctx: small.ctx.ADMIN, input: http({ intervalSeconds: 60 }) }).catch((e) => e);
    expect(e1).toBeInstanceOf(PlanLimitReached);
    expect(e1.message).toMatch(/operator allows checks every 300 seconds at the shortest \(asked for 60 seconds\)\. Ask your operator/);
    await createMonitor({ ctx: small.ctx.ADMIN, input: http({ intervalSeconds: 300 }) });
    const e2 = await createMonitor({ ctx: small.ctx.ADMIN, input: http({ intervalSeconds: 300 }) }).catch((e) => e);
    expect(e2).toBeInstanceOf(PlanLimitReached);
    expect(e2.message).toMatch(/operator allows 1 monitor \(it has 1\)/);
  });

  it("refuses unknown regions", async () => {
    const e = await createMonitor({ ctx: t.ctx.ADMIN, input: http({ regions: ["mars-1"] }) }).catch((x) => x);
    expect(e.fields.regions[0]).toMatch(/Unknown region: mars-1/);
  });
});

describe("roles and tenancy", () => {
  it("VIEWER cannot create, update, pause or delete; another tenant gets 404 everywhere", async () => {
    const m = await createMonitor({ ctx: t.ctx.ADMIN, input: http() });
    await expect(createMonitor({ ctx: t.ctx.VIEWER, input: http() })).rejects.toBeInstanceOf(Forbidden);
    await expect(updateMonitor({ ctx: t.ctx.VIEWER, monitorId: m.id, patch: { name: "x" } })).rejects.toBeInstanceOf(Forbidden);
    await expect(setMonitorsPaused({ ctx: t.ctx.VIEWER, monitorIds: [m.id], paused: true })).rejects.toBeInstanceOf(Forbidden);
    await expect(deleteMonitors({ ctx: t.ctx.VIEWER, monitorIds: [m.id] })).rejects.toBeInstanceOf(Forbidden);
    expect((await getMonitor({ ctx: t.ctx.VIEWER, monitorId: m.id })).id).toBe(m.id);

    const foreign = other.ctx.ADMIN;
    await expect(getMonitor({ ctx: foreign, monitorId: m.id })).rejects.toBeInstanceOf(NotFound);
    await expect(updateMonitor({ ctx: foreign, monitorId: m.id, patch: { name: "pwned" } })).rejects.toBeInstanceOf(NotFound);
    await expect(setMonitorsPaused({ ctx: foreign, monitorIds: [m.id], paused: true })).rejects.toBeInstanceOf(NotFound);
    await expect(deleteMonitors({ ctx: foreign, monitorIds: [m.id] })).rejects.toBeInstanceOf(NotFound);
    await expect(getUptime({ ctx: foreign, monitorId: m.id, window: "24h" })).rejects.toBeInstanceOf(NotFound);
    await expect(recentResults({ ctx: foreign, monitorId: m.id })).rejects.toBeInstanceOf(NotFound);
    await expect(recentFailures({ ctx: foreign, monitorId: m.id })).rejects.toBeInstanceOf(NotFound);
    await expect(listIncidents({ ctx: foreign, monitorId: m.id })).rejects.toBeInstanceOf(NotFound);
    expect((await listMonitors({ ctx: foreign })).map((x) => x.id)).not.toContain(m.id);
    expect((await getMonitor({ ctx: t.ctx.ADMIN, monitorId: m.id })).name).toBe("Homepage");
  });
});

describe("update, pause, resume, delete", () => {
  it("merges a partial update, keeps masked secrets, bumps the version and reschedules", async () => {
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: http({ headers: { Authorization: "Bearer keep-me" } }) });
    const u = await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { name: "Renamed", intervalSeconds: 120, headers: { Authorization: "••••••" } } });
    expect(u).toMatchObject({ name: "Renamed", intervalSeconds: 120, url: "https://example.com/" });
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(row!.version).toBe(2);
    const { openSecrets } = await import("../../src/server/monitors/config");
    expect(openSecrets(m.id, row!.secretsEnc).headers).toEqual({ Authorization: "Bearer keep-me" });
    const s = (await checkQueue("default").getJobSchedulers(0, -1)).find((x) => x.key === schedulerId(m.id));
    expect(s?.every).toBe(120_000);
    const bad = await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { type: "tcp" } }).catch((e) => e);
    expect(bad.fields.type[0]).toMatch(/cannot change/);
  });

  it("pause removes the scheduler and ignores results; resume starts over from PENDING", async () => {
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: http() });
    await setMonitorsPaused({ ctx: t.ctx.EDITOR, monitorIds: [m.id], paused: true });
    expect((await getMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id })).state).toBe("PAUSED");
    expect((await checkQueue("default").getJobSchedulers(0, -1)).some((x) => x.key === schedulerId(m.id))).toBe(false);
    await recordResults([res(m.id, down())]);
    expect((await getMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id })).state).toBe("PAUSED");
    await setMonitorsPaused({ ctx: t.ctx.EDITOR, monitorIds: [m.id], paused: false });
    expect((await getMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id })).state).toBe("PENDING");
    expect((await checkQueue("default").getJobSchedulers(0, -1)).some((x) => x.key === schedulerId(m.id))).toBe(true);
  });

  it("delete removes the monitor, its scheduler and its events", async () => {
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: http() });
    await recordResults([res(m.id, down())]);
    await recordResults([res(m.id, down())]);
    expect((await db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, m.id))).length).toBe(1);
    await deleteMonitors({ ctx: t.ctx.EDITOR, monitorIds: [m.id] });
    await expect(getMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id })).rejects.toBeInstanceOf(NotFound);
    expect((await checkQueue("default").getJobSchedulers(0, -1)).some((x) => x.key === schedulerId(m.id))).toBe(false);
    expect(await db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, m.id))).toHaveLength(0);
  });
});

describe("uptime and activity from rollups", () => {
  it("answers uptime % and percentiles for each window, and 90 daily bars", async () => {
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: http() });
    const now = Date.now();
    const batch = [];
    for (let i = 0; i < 100; i++) batch.push(res(m.id, i < 98 ? up(100 + i) : down(), "default", new Date(now - (i + 1) * 60_000)));
    await recordResults(batch);
    const u = await getUptime({ ctx: t.ctx.VIEWER, monitorId: m.id, window: "24h" });
    expect(u.checks).toBe(100);
    expect(u.uptimePercent).toBeCloseTo(98, 5);
    expect(u.latency.p50).toBeGreaterThan(130);
    expect(u.latency.p50).toBeLessThan(165);
    const d90 = await getUptime({ ctx: t.ctx.VIEWER, monitorId: m.id, window: "90d" });
    expect(d90.checks).toBe(100);
    await expect(getUptime({ ctx: t.ctx.VIEWER, monitorId: m.id, window: "1y" })).rejects.toBeInstanceOf(Invalid);
    const bars = await dailyBars({ ctx: t.ctx.VIEWER, monitorId: m.id });
    expect(bars).toHaveLength(90);
    expect(bars.reduce((s, b) => s + b.checks, 0)).toBe(100);
    const recent = await recentResults({ ctx: t.ctx.VIEWER, monitorId: m.id, limit: 5 });
    expect(recent).toHaveLength(5);
    expect(recent[0]!.at > recent[1]!.at).toBe(true);
    expect(recent[0]).toMatchObject({ region: "default", outcome: "up", statusCode: 200, dnsMs: 1, connectMs: 2, tlsMs: null });
    const fails = await recentFailures({ ctx: t.ctx.VIEWER, monitorId: m.id });
    expect(fails).toHaveLength(2);
    expect(fails[0]!.message).toMatch(/Expected status/);
    const list = await listMonitors({ ctx: t.ctx.VIEWER, search: "" });
    const item = list.find((x) => x.id === m.id)!;
    expect(item.uptime24h).toBeCloseTo(98, 5);
    expect(item.sparkline).toHaveLength(24);
  });
});

describe("heartbeat monitors", () => {
  it("is UP on a ping, DOWN (heartbeat_missed) after period + grace, and recovers on the next ping", async () => {
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: { name: "nightly backup", type: "heartbeat", intervalSeconds: 60, heartbeatGraceSeconds: 30 } });
    expect(m.heartbeatUrl).toMatch(/\/api\/heartbeat\/[A-Za-z0-9_-]{32}$/);
    const token = m.heartbeatUrl!.split("/").pop()!;
    const t0 = new Date();
    expect(await recordPing(token, t0)).toMatchObject({ ok: true, state: "UP" });
    expect(await sweepHeartbeats(new Date(t0.getTime() + 89_000))).toBe(0); // within period + grace
    expect(await sweepHeartbeats(new Date(t0.getTime() + 91_000))).toBeGreaterThan(0);
    expect((await getMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id })).state).toBe("DOWN");
    expect(await sweepHeartbeats(new Date(t0.getTime() + 92_000))).toBe(0); // the same miss is recorded once
    const ev = await db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, m.id));
    expect(ev.map((e) => e.kind)).toEqual(["heartbeat_missed"]);
    expect(await recordPing(token, new Date(t0.getTime() + 95_000))).toMatchObject({ ok: true, state: "UP" });
    const inc = await listIncidents({ ctx: t.ctx.EDITOR, monitorId: m.id });
    expect(inc[0]!.incident.closedAt).not.toBeNull();
    expect(await recordPing("x".repeat(32))).toEqual({ ok: false, reason: "unknown" });
  });
});

afterAll(async () => {
  await db().execute(sql`select 1`);
});

describe("90-day uptime summaries", () => {
  it("summary + today's row equals the 90-day sum of daily rollups, and stale summaries fall back", async () => {
    const { refreshUptimeSummaries, uptime90dFor } = await import("../../src/server/monitors/uptime-summary");
    const { uptimeForSeq } = await import("../../src/server/services/monitors/uptime");
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: http() });
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    const now = Date.now();
    const batch = [];
    for (let d = 0; d < 5; d++) for (let i = 0; i < 10; i++) batch.push(res(m.id, i === 0 && d === 2 ? down() : up(), "default", new Date(now - d * 86_400_000 - (i + 1) * 60_000)));
    await recordResults(batch);
    const before = await uptime90dFor([row!.seq]);
    const direct = await uptimeForSeq({ seq: row!.seq, window: "90d" });
    expect(before.get(row!.seq)?.checks).toBe(direct.checks); // no summary yet: answered from daily rows
    await refreshUptimeSummaries();
    const after = await uptime90dFor([row!.seq]);
    expect(after.get(row!.seq)).toMatchObject({ checks: direct.checks, successes: direct.successes });
    expect(after.get(row!.seq)!.uptimePercent).toBeCloseTo(direct.uptimePercent!, 6);
    const list = await listMonitors({ ctx: t.ctx.VIEWER });
    expect(list.find((x) => x.id === m.id)!.uptime90d).toBeCloseTo(direct.uptimePercent!, 6);
  });
});
