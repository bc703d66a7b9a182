import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { incidents, monitorEvents, notificationDeliveries } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { deliver } from "../../src/server/notifications/deliver";
import { alertStillDownAfterMaintenance } from "../../src/server/notifications/maintenance-ended";
import { drainOutbox, queueReminders } from "../../src/server/notifications/outbox";
import { createChannel } from "../../src/server/services/channels/create";
import { createMaintenanceWindow } from "../../src/server/services/maintenance-windows/create";
import { createTenant } from "../helpers/factories";
import { down, insertMonitor, res, up } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { until } from "../helpers/until";

/**
 * Alerts around maintenance windows. Other test files run workers (on real time) that drain
 * every organization's outbox and run the still-down job too, so each window here ends a
 * moment from now in real time: until then no other worker may act on these monitors, and
 * whatever they do afterwards is what these tests do themselves. Deliveries are awaited by
 * their status, whoever sent them.
 */
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
});

const WINDOW_LEFT_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** A tenant with default webhook (and optionally Slack) channels under `/<tag>/…`, one monitor, and a window over it ending shortly. */
async function setUp(tag: string, over: Parameters<typeof insertMonitor>[1] = {}, slack = false) {
  const t = await createTenant();
  await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/${tag}/hook`, isDefault: true } });
  if (slack) await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Slack", type: "slack", url: `${rx.url}/${tag}/slack/T000/B000/XXXX`, isDefault: true } });
  const m = await insertMonitor(t.org.id, { name: "Checkout API", confirmations: 1, ...over });
  const endsAt = new Date(Date.now() + WINDOW_LEFT_MS);
  await createMaintenanceWindow({ ctx: t.ctx.EDITOR, input: { name: "Deploy", kind: "one_off", startsAt: new Date(Date.now() - 60_000), endsAt, monitorIds: [m.id] } });
  return { t, m, endsAt };
}

const eventsOf = (monitorId: string) => db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, monitorId)).orderBy(monitorEvents.id);
const incidentsOf = (monitorId: string) => db().select().from(incidents).where(eq(incidents.monitorId, monitorId)).orderBy(incidents.openedAt);
const requestsUnder = (tag: string) => rx.requests.filter((r) => r.path.startsWith(`/${tag}/`));

/** Drains until the event is processed (another worker may hold it), then sends its deliveries. */
async function sendEvent(eventId: number) {
  await until(async () => {
    await drainOutbox();
    const [e] = await db().select().from(monitorEvents).where(eq(monitorEvents.id, eventId));
    return e!.processedAt !== null;
  });
  const ds = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, eventId));
  // "not_claimed" when another worker is sending it: wait for its status instead.
  for (const d of ds) await deliver(d.id);
  await until(async () => (await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, eventId))).every((d) => d.status === "delivered"));
  const [e] = await db().select().from(monitorEvents).where(eq(monitorEvents.id, eventId));
  return { deliveries: ds, event: e! };
}

describe("alerts around maintenance windows", () => {
  it("alerts a monitor still DOWN when its window ends, once, and then sends its recovery", async () => {
    const { m, endsAt } = await setUp("a", { reminderIntervalMinutes: 10, reminderMax: 3 }, true);
    await recordResults([res(m.id, down("Expected status 200-299, got 503"))]);
    // Down for an hour already: reminders would be due.
    await db()
      .update(incidents)
      .set({ openedAt: new Date(Date.now() - 3_600_000) })
      .where(eq(incidents.monitorId, m.id));
    const [inc] = await incidentsOf(m.id);
    expect(inc!.duringMaintenance).toBe(true);

    // Still inside the window: nothing to alert, and no reminder of a DOWN nobody was told.
    await alertStillDownAfterMaintenance();
    await queueReminders();
    expect(Date.now()).toBeLessThan(endsAt.getTime());
    expect((await eventsOf(m.id)).map((e) => [e.kind, e.suppressed])).toEqual([["down", true]]);

    await sleep(endsAt.getTime() - Date.now() + 20);
    // Two workers at once alert it once.
    await Promise.all([alertStillDownAfterMaintenance(), alertStillDownAfterMaintenance()]);
    const evs = await eventsOf(m.id);
    expect(evs).toHaveLength(2);
    const late = evs[1]!;
    expect(late).toMatchObject({ kind: "down", suppressed: false, incidentId: inc!.id, organizationId: m.organizationId });
    expect(late.payload).toMatchObject({ monitorName: "Checkout API", cause: "Expected status 200-299, got 503", errorClass: "status", statusCode: 503, stillDownAfterMaintenance: true });
    expect(late.payload.downtimeSeconds).toBeGreaterThanOrEqual(3600);
    expect((await incidentsOf(m.id))[0]).toMatchObject({ duringMaintenance: false, remindersSent: 0, lastRemindedAt: expect.any(Date) });
    // Reminders count from this alert, not from the start of the outage.
    await queueReminders();
    expect(await eventsOf(m.id)).toHaveLength(2);

    const sent = await sendEvent(late.id);
    expect(sent.deliveries).toHaveLength(2);
    expect(new Set(sent.deliveries.map((d) => d.channelId)).size).toBe(2);
    const hooks = requestsUnder("a").filter((r) => r.path === "/a/hook");
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.json).toMatchObject({
      type: "monitor.down",
      data: {
        monitor: { id: m.id, name: "Checkout API" },
        incidentId: inc!.id,
        state: "DOWN",
        title: "Checkout API is still DOWN after the maintenance window ended",
        cause: "Expected status 200-299, got 503",
      },
    });
    expect((hooks[0]!.json as { data: { summary: string } }).data.summary).toMatch(/^It went down during the maintenance window, 1h( \d+m)? ago: Expected status 200-299, got 503\.$/);
    const slack = requestsUnder("a").filter((r) => r.path.startsWith("/a/slack/"));
    expect(slack).toHaveLength(1);
    expect((slack[0]!.json as { blocks: { text?: { text: string } }[] }).blocks[0]!.text!.text).toBe("🔴 Checkout API is still DOWN after the maintenance window ended");

    // Running the job again alerts nothing more.
    await alertStillDownAfterMaintenance();
    await drainOutbox();
    expect(await eventsOf(m.id)).toHaveLength(2);
    expect(requestsUnder("a")).toHaveLength(2);

    // Its DOWN was alerted, so its recovery is sent.
    await recordResults([res(m.id, up())]);
    const rec = (await eventsOf(m.id)).find((e) => e.kind === "recovered")!;
    const recovered = await sendEvent(rec.id);
    expect(recovered.event.payload.notSentBecause).toBeUndefined();
    expect(recovered.deliveries).toHaveLength(2);
    expect(
      requestsUnder("a")
        .filter((r) => r.path === "/a/hook")
        .map((r) => (r.json as { type: string }).type),
    ).toEqual(["monitor.down", "monitor.recovered"]);
  });

  it("sends neither DOWN nor recovery when the monitor recovers after the window, before its DOWN was alerted", async () => {
    const { m, endsAt } = await setUp("b");
    await recordResults([res(m.id, down())]);
    // Recovered just after the window ended, before any still-down pass saw it.
    await recordResults([res(m.id, up())], new Date(endsAt.getTime() + 1));
    expect(Date.now()).toBeLessThan(endsAt.getTime());

    await sleep(endsAt.getTime() - Date.now() + 20);
    await alertStillDownAfterMaintenance();
    const [dn, rec] = await eventsOf(m.id);
    expect(dn).toMatchObject({ kind: "down", suppressed: true });
    expect(rec).toMatchObject({ kind: "recovered", suppressed: false });
    const { event, deliveries } = await sendEvent(rec!.id);
    expect(deliveries).toEqual([]);
    expect(event.payload.notSentBecause).toMatch(/DOWN was never alerted .*maintenance window/);
    expect(await eventsOf(m.id)).toHaveLength(2);
    expect((await incidentsOf(m.id))[0]!.duringMaintenance).toBe(true);
    await drainOutbox();
    expect(requestsUnder("b")).toEqual([]);
  });

  it("alerts a relapse within the recovery delay when the first DOWN (in maintenance) was never alerted", async () => {
    const { m, endsAt } = await setUp("c", { recoveryDelaySeconds: 5 });
    await recordResults([res(m.id, down())]);
    await recordResults([res(m.id, up())], new Date(endsAt.getTime() + 1));
    await recordResults([res(m.id, down("relapse"))], new Date(endsAt.getTime() + 2));
    expect(Date.now()).toBeLessThan(endsAt.getTime());
    const [a, b] = await incidentsOf(m.id);
    expect(a).toMatchObject({ duringMaintenance: true });
    expect(b).toMatchObject({ duringMaintenance: false, closedAt: null });

    await sleep(endsAt.getTime() - Date.now() + 20);
    const relapse = (await eventsOf(m.id)).filter((e) => e.kind === "down")[1]!;
    const { event, deliveries } = await sendEvent(relapse.id);
    expect(event.payload.notSentBecause).toBeUndefined();
    expect(deliveries).toHaveLength(1);
    expect(requestsUnder("c").map((r) => r.json)).toEqual([expect.objectContaining({ type: "monitor.down", data: expect.objectContaining({ incidentId: b!.id, cause: "relapse" }) })]);
    expect((await incidentsOf(m.id))[1]!.alertedIncidentId).toBeNull();

    // The first incident's recovery, once due, is not sent: nobody heard of its DOWN.
    const rec = (await eventsOf(m.id)).find((e) => e.kind === "recovered")!;
    expect(rec.processedAt).toBeNull();
    await sleep(rec.notifyAfter.getTime() - Date.now() + 20);
    const held = await sendEvent(rec.id);
    expect(held.deliveries).toEqual([]);
    expect(held.event.payload.notSentBecause).toMatch(/DOWN was never alerted/);
    expect(requestsUnder("c")).toHaveLength(1);
  });

  it("sends the recovery of an alerted incident even when it recovers inside a window (no PagerDuty incident left open)", async () => {
    const t = await createTenant();
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "PD", type: "pagerduty", routingKey: "R0UT1NGKEY0123456789abcdefghijkl", baseUrl: `${rx.url}/d/pd`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { name: "Billing", confirmations: 1 });
    await recordResults([res(m.id, down("boom"))]);
    const dn = (await eventsOf(m.id))[0]!;
    expect(dn.suppressed).toBe(false);
    await sendEvent(dn.id);
    // A window starts while it is DOWN, and it recovers inside it.
    await createMaintenanceWindow({ ctx: t.ctx.EDITOR, input: { name: "Fix", kind: "one_off", startsAt: new Date(Date.now() - 1000), endsAt: new Date(Date.now() + 60_000), monitorIds: [m.id] } });
    await recordResults([res(m.id, up())]);
    const rec = (await eventsOf(m.id)).find((e) => e.kind === "recovered")!;
    expect(rec.suppressed).toBe(true);
    const { deliveries, event } = await sendEvent(rec.id);
    expect(event.payload.notSentBecause).toBeUndefined();
    expect(deliveries).toHaveLength(1);
    const pd = requestsUnder("d").map((r) => r.json as { event_action: string; dedup_key: string });
    expect(pd.map((x) => x.event_action)).toEqual(["trigger", "resolve"]);
    expect(pd[1]!.dedup_key).toBe(pd[0]!.dedup_key);
  });

  it("a heartbeat monitor still silent after its window is alerted as a missed heartbeat", async () => {
    const { m, endsAt } = await setUp("e", { type: "heartbeat", config: { graceSeconds: 60 } });
    await recordResults([{ ...res(m.id, down("No ping for 5m")), kind: "heartbeat" }]);
    expect((await incidentsOf(m.id))[0]!.duringMaintenance).toBe(true);
    await sleep(endsAt.getTime() - Date.now() + 20);
    await alertStillDownAfterMaintenance();
    const late = (await eventsOf(m.id)).at(-1)!;
    expect(late).toMatchObject({ kind: "heartbeat_missed", suppressed: false });
    await sendEvent(late.id);
    const [hook] = requestsUnder("e");
    expect(hook!.json).toMatchObject({ data: { title: "Checkout API is still missing its heartbeat after the maintenance window ended" } });
  });
});
