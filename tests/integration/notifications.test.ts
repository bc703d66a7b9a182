// The queue tests run a real notification worker, which drains every organization's outbox;
// they live in this file (tests in a file run one after another) so it never races the
// direct deliver() calls above.
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import path from "node:path";
import { Queue } from "bullmq";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { incidents, monitorEvents, monitors, notificationChannels, notificationDeliveries, notificationLog } from "../../src/server/db/schema";
import { MAINTENANCE_QUEUE, maintenanceJobs } from "../../src/server/jobs/catalog";
import { enabledMaintenanceJobs } from "../../src/server/jobs/schedulers";
import { decrypt } from "../../src/server/lib/crypto";
import { recordResults } from "../../src/server/monitors/record-results";
import { channelAad } from "../../src/server/notifications/channel-config";
import { deliver } from "../../src/server/notifications/deliver";
import { drainOutbox, queueReminders } from "../../src/server/notifications/outbox";
import { retryDelayMs } from "../../src/server/notifications/queue";
import { startNotifications } from "../../src/server/notifications/runtime";
import { sweepDeliveries } from "../../src/server/notifications/sweeper";
import { env } from "../../src/server/env";
import { workerConnection } from "../../src/server/redis";
import { createChannel } from "../../src/server/services/channels/create";
import { deleteChannel } from "../../src/server/services/channels/delete";
import { getChannel } from "../../src/server/services/channels/get";
import { listChannels } from "../../src/server/services/channels/list";
import { sendChannelTest } from "../../src/server/services/channels/send-test";
import { updateChannel } from "../../src/server/services/channels/update";
import { createMonitor } from "../../src/server/services/monitors/create";
import { updateMonitor } from "../../src/server/services/monitors/update";
import type { Ctx } from "../../src/server/context";
import { createTenant } from "../helpers/factories";
import { down, insertMonitor, res, up } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { deleteRedisPrefix } from "../helpers/test-db";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";
import { until } from "../helpers/until";

let smtp: Smtp;
let rx: Receiver;
beforeAll(async () => {
  smtp = await startSmtp({ rejectRecipient: (a) => a.startsWith("bounce-") });
  process.env.SMTP_URL = smtp.url; // before env() is first read in this file's worker
  rx = await startReceiver((r) =>
    r.path.includes("/Messages.json") ? { status: 201, body: { sid: "SM0123456789abcdef0123456789abcdef", status: "queued" } } : { status: 200, body: { ok: true, status: "success" } },
  );
});
afterAll(async () => {
  await smtp.close();
  await rx.close();
});

const BOT = "123456789:AAE_test-token-0123456789abcdefghij";
const ROUTING = "R0UT1NGKEY0123456789abcdefghijkl";
const SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_TOKEN = "twilio-auth-token-secret";

async function channelsFor(ctx: Ctx) {
  const hook = await createChannel({ ctx, input: { name: "Ops hook", type: "webhook", url: `${rx.url}/hook` } });
  const all = [
    await createChannel({ ctx, input: { name: "Ops mail", type: "email", to: "ops@example.test, oncall@example.test" } }),
    await createChannel({ ctx, input: { name: "Ops Slack", type: "slack", url: `${rx.url}/slack/T000/B000/XXXX` } }),
    await createChannel({ ctx, input: { name: "On-call SMS", type: "sms", to: "+14155550123", accountSid: SID, authToken: TWILIO_TOKEN, from: "+14155550100", baseUrl: `${rx.url}/twilio` } }),
    await createChannel({ ctx, input: { name: "PagerDuty", type: "pagerduty", routingKey: ROUTING, baseUrl: `${rx.url}/pd` } }),
    await createChannel({ ctx, input: { name: "Telegram", type: "telegram", botToken: BOT, chatId: "-1001234567890", baseUrl: `${rx.url}/tg` } }),
    hook,
  ];
  return { all, hook };
}

/** Takes a monitor DOWN (confirmations 1) and drains the outbox; returns its deliveries. */
async function eventDeliveries(monitorId: string, kind: string) {
  await drainOutbox();
  const [e] = await db()
    .select()
    .from(monitorEvents)
    .where(and(eq(monitorEvents.monitorId, monitorId), eq(monitorEvents.kind, kind)))
    .orderBy(monitorEvents.id);
  expect(e, `a ${kind} event`).toBeDefined();
  return db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, e!.id));
}

describe("channels", () => {
  it("seals secrets with the organization and row as associated data and never returns them", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "Bot", type: "telegram", botToken: BOT, chatId: -100123456789 } });
    expect(ch.botToken).toBe("••••••");
    expect(ch.chatId).toBe("-100123456789");
    const [raw] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, ch.id));
    expect(JSON.stringify(raw)).not.toContain(BOT);
    expect(JSON.stringify(raw)).not.toContain("AAE_test");
    expect(JSON.parse(decrypt(raw!.secretsEnc!, channelAad(t.org.id, ch.id))).botToken).toBe(BOT);
    // Copied to another row or organization, the ciphertext does not open.
    const other = await createTenant();
    expect(() => decrypt(raw!.secretsEnc!, channelAad(other.org.id, ch.id))).toThrow();
    expect(JSON.stringify(await getChannel({ ctx: t.ctx.VIEWER, channelId: ch.id }))).not.toContain(BOT);
    expect(JSON.stringify(await listChannels({ ctx: t.ctx.VIEWER }))).not.toContain(BOT);
  });

  it("shows a webhook's signing secret once, keeps it across updates, and keeps a masked secret", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: "http://127.0.0.1:9/a?token=s3cret" } });
    expect(ch.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(ch.url).toBe("••••••");
    const again = await getChannel({ ctx: t.ctx.ADMIN, channelId: ch.id });
    expect(again.signingSecret).toBeUndefined();
    const renamed = await updateChannel({ ctx: t.ctx.ADMIN, channelId: ch.id, patch: { name: "Renamed", url: "••••••" } });
    expect(renamed.name).toBe("Renamed");
    const [raw] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, ch.id));
    const secrets = JSON.parse(decrypt(raw!.secretsEnc!, channelAad(t.org.id, ch.id)));
    expect(secrets).toEqual({ url: "http://127.0.0.1:9/a?token=s3cret", signingSecret: ch.signingSecret });
  });

  it("gives field-level messages, enforces roles and hides other tenants' channels", async () => {
    const t = await createTenant();
    await expect(createChannel({ ctx: t.ctx.EDITOR, input: { name: "x", type: "email", to: "not-an-email" } })).rejects.toMatchObject({
      fields: { to: ["Not an email address: not-an-email (expected e.g. ops@example.com)"] },
    });
    await expect(createChannel({ ctx: t.ctx.EDITOR, input: { name: "x", type: "sms", to: "0155 5555" } })).rejects.toMatchObject({ fields: { to: [expect.stringMatching(/international format/)] } });
    await expect(createChannel({ ctx: t.ctx.EDITOR, input: { name: "x", type: "pigeon" } })).rejects.toMatchObject({ fields: { type: [expect.stringMatching(/one of email, slack/)] } });
    await expect(createChannel({ ctx: t.ctx.EDITOR, input: { name: "", type: "slack", url: "ftp://x" } })).rejects.toMatchObject({
      fields: { name: [expect.any(String)], url: [expect.stringMatching(/http\(s\) URL/)] },
    });
    await expect(createChannel({ ctx: t.ctx.VIEWER, input: { name: "x", type: "email", to: "a@example.test" } })).rejects.toMatchObject({ status: 403 });
    const ch = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "Mail", type: "email", to: ["a@example.test"] } });
    await expect(updateChannel({ ctx: t.ctx.EDITOR, channelId: ch.id, patch: { type: "slack" } })).rejects.toMatchObject({ fields: { type: [expect.stringMatching(/cannot change/)] } });
    const other = await createTenant();
    for (const call of [
      () => getChannel({ ctx: other.ctx.ADMIN, channelId: ch.id }),
      () => updateChannel({ ctx: other.ctx.ADMIN, channelId: ch.id, patch: { name: "mine" } }),
      () => deleteChannel({ ctx: other.ctx.ADMIN, channelId: ch.id }),
      () => sendChannelTest({ ctx: other.ctx.ADMIN, channelId: ch.id }),
    ]) {
      await expect(call()).rejects.toMatchObject({ status: 404 });
    }
    // A monitor cannot pick another organization's channel.
    await expect(createMonitor({ ctx: other.ctx.ADMIN, input: { name: "m", type: "tcp", host: "127.0.0.1", port: 9, channelIds: [ch.id] } })).rejects.toMatchObject({
      fields: { channelIds: [expect.stringMatching(/Unknown channel/)] },
    });
  });
});

describe("delivery", () => {
  it("sends each channel's readable payload on DOWN, and recovery resolves PagerDuty with the same dedup key", async () => {
    const t = await createTenant();
    const { all, hook } = await channelsFor(t.ctx.ADMIN);
    const m = await insertMonitor(t.org.id, { name: "Checkout API", confirmations: 1, customChannels: true });
    await updateMonitor({ ctx: t.ctx.ADMIN, monitorId: m.id, patch: { channelIds: all.map((c) => c.id) } });
    rx.requests.length = 0;

    await recordResults([res(m.id, up())]);
    await recordResults([res(m.id, down("Expected status 200-299, got 503"))]);
    const ds = await eventDeliveries(m.id, "down");
    expect(ds).toHaveLength(6);
    for (const d of ds) expect(await deliver(d.id)).toMatchObject({ status: "delivered" });
    const [incident] = await db().select().from(incidents).where(eq(incidents.monitorId, m.id));

    // Email: HTML and text, subject a person can triage from.
    const mail = await smtp.waitFor((x) => toOf(x).includes("oncall@example.test") && (x.subject ?? "").includes("Checkout API"));
    expect(mail.subject).toBe("[Perigee] 🔴 Checkout API is DOWN");
    expect(mail.text).toContain("Expected status 200-299, got 503");
    expect(mail.text).toContain(`/monitors/${m.id}`);
    expect(mail.html).toContain("Open in Perigee");

    const by = (p: string) => rx.requests.find((r) => r.path.startsWith(p))!;
    // Slack: blocks with monitor, state, cause and a link.
    const slack = by("/slack/").json as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url?: string }[] }[] };
    expect(slack.blocks[0]!.text!.text).toBe("🔴 Checkout API is DOWN");
    const fields = slack.blocks.find((b) => b.fields)!.fields!.map((f) => f.text);
    expect(fields).toEqual(expect.arrayContaining(["*Monitor*\nCheckout API", "*State*\nDOWN", "*Cause*\nExpected status 200-299, got 503"]));
    expect(slack.blocks.find((b) => b.type === "actions")!.elements![0]!.url).toContain(`/monitors/${m.id}`);

    // SMS through Twilio's REST API: one GSM-7 segment.
    const sms = by("/twilio/");
    expect(sms.path).toBe(`/twilio/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(sms.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TWILIO_TOKEN}`).toString("base64")}`);
    const form = new URLSearchParams(sms.body);
    expect(form.get("To")).toBe("+14155550123");
    expect(form.get("From")).toBe("+14155550100");
    expect(form.get("Body")).toMatch(/^Perigee: Checkout API is DOWN\. Expected status 200-299, got 503\. http/);
    expect(form.get("Body")!.length).toBeLessThanOrEqual(160);
    expect(form.get("Body")).toMatch(/^[\x20-\x7E]+$/);

    // PagerDuty Events API v2.
    const pd = by("/pd/").json as Record<string, unknown> & { payload: Record<string, unknown> };
    expect(by("/pd/").path).toBe("/pd/v2/enqueue");
    expect(pd).toMatchObject({ routing_key: ROUTING, event_action: "trigger", dedup_key: `perigee-incident-${incident!.id}` });
    expect(pd.payload).toMatchObject({ severity: "critical", summary: "Checkout API is DOWN — Expected status 200-299, got 503" });

    // Telegram Bot API.
    const tg = by("/tg/");
    expect(tg.path).toBe(`/tg/bot${BOT}/sendMessage`);
    expect(tg.json).toMatchObject({ chat_id: "-1001234567890", parse_mode: "HTML" });
    expect((tg.json as { text: string }).text).toContain("<b>Checkout API is DOWN</b>");

    // Generic webhook: documented body and a Standard Webhooks signature that verifies.
    const wh = by("/hook");
    const id = String(wh.headers["webhook-id"]);
    const ts = String(wh.headers["webhook-timestamp"]);
    const key = Buffer.from(hook.signingSecret!.slice("whsec_".length), "base64");
    const expected = createHmac("sha256", key).update(`${id}.${ts}.${wh.body}`).digest("base64");
    expect(wh.headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(wh.json).toMatchObject({ type: "monitor.down", data: { monitor: { id: m.id, name: "Checkout API" }, incidentId: incident!.id, state: "DOWN", cause: "Expected status 200-299, got 503" } });

    // Recovery: PagerDuty resolves the same incident; the webhook says how long it was down.
    rx.requests.length = 0;
    await recordResults([res(m.id, up())]);
    for (const d of await eventDeliveries(m.id, "recovered")) expect(await deliver(d.id)).toMatchObject({ status: "delivered" });
    expect(by("/pd/").json).toMatchObject({ event_action: "resolve", dedup_key: `perigee-incident-${incident!.id}` });
    expect(by("/hook").json).toMatchObject({ type: "monitor.recovered", data: { state: "UP", downtimeSeconds: expect.any(Number) } });
    expect(new URLSearchParams(by("/twilio/").body).get("Body")).toMatch(/^Perigee: Checkout API is UP again after /);
  });

  it("retries a 500 and a 429, then succeeds; every attempt is in the log", async () => {
    const t = await createTenant();
    const hook = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Flaky", type: "webhook", url: `${rx.url}/flaky`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1 });
    await recordResults([res(m.id, down())]);
    const [d] = await eventDeliveries(m.id, "down");
    rx.script({ status: 500, body: "upstream broke" }, { status: 429, body: "slow down", headers: { "retry-after": "1" } });
    const first = await deliver(d!.id);
    expect(first).toMatchObject({ status: "retry" });
    expect(await deliver(d!.id)).toMatchObject({ status: "retry", error: { retryAfterMs: 1000 } });
    expect(await deliver(d!.id)).toMatchObject({ status: "delivered" });
    const log = await db().select().from(notificationLog).where(eq(notificationLog.deliveryId, d!.id)).orderBy(notificationLog.id);
    expect(log.map((l) => [l.attempt, l.status, l.httpStatus])).toEqual([
      [1, "retrying", 500],
      [2, "retrying", 429],
      [3, "delivered", 200],
    ]);
    expect(log[0]!.error).toContain("HTTP 500: upstream broke");
    const [ch] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, hook.id));
    expect(ch!.lastError).toBeNull();
    expect(ch!.lastDeliveredAt).not.toBeNull();
  });

  it("fails a 4xx at once as unrecoverable, shows the error on the channel, and never blocks other channels", async () => {
    const t = await createTenant();
    const bad = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Gone hook", type: "webhook", url: `${rx.url}/gone`, isDefault: true } });
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Good hook", type: "webhook", url: `${rx.url}/good`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1 });
    await recordResults([res(m.id, down())]);
    const ds = await eventDeliveries(m.id, "down");
    expect(ds).toHaveLength(2);
    rx.fallback = (r) => (r.path === "/gone" ? { status: 404, body: "no such hook" } : { status: 200, body: { ok: true } });
    try {
      const results = await Promise.all(ds.map((d) => deliver(d.id)));
      const badResult = results[ds.findIndex((d) => d.channelId === bad.id)]!;
      expect(badResult).toMatchObject({ status: "failed", error: { retryable: false, httpStatus: 404 } });
      expect(results.filter((r) => r.status === "delivered")).toHaveLength(1);
    } finally {
      rx.fallback = { status: 200, body: { ok: true } };
    }
    const view = await getChannel({ ctx: t.ctx.VIEWER, channelId: bad.id });
    expect(view.lastError).toBe("The webhook receiver answered HTTP 404: no such hook");
    const [row] = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.channelId, bad.id));
    expect(row!.status).toBe("failed");
    expect(await deliver(row!.id)).toEqual({ status: "not_claimed" });
  });

  it("is idempotent: the consumer and a job run twice create and send once", async () => {
    const t = await createTenant();
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Once", type: "webhook", url: `${rx.url}/once`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1 });
    await recordResults([res(m.id, down())]);
    const ds = await eventDeliveries(m.id, "down");
    await drainOutbox();
    expect(await eventDeliveries(m.id, "down")).toHaveLength(1);
    const before = rx.requests.filter((r) => r.path === "/once").length;
    const both = await Promise.all([deliver(ds[0]!.id), deliver(ds[0]!.id)]);
    expect(both.map((b) => b.status).sort()).toEqual(["delivered", "not_claimed"]);
    expect(await deliver(ds[0]!.id)).toEqual({ status: "not_claimed" });
    expect(rx.requests.filter((r) => r.path === "/once").length - before).toBe(1);
  });

  it("routes to the monitor's own channels, the defaults otherwise, and nothing during maintenance", async () => {
    const t = await createTenant();
    const def = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Default", type: "email", to: "d@example.test", isDefault: true } });
    const own = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Own", type: "email", to: "o@example.test" } });
    const a = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "A", type: "tcp", host: "127.0.0.1", port: 9, confirmations: 1, paused: true } });
    const b = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "B", type: "tcp", host: "127.0.0.1", port: 9, confirmations: 1, paused: true, channelIds: [own.id] } });
    const c = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "C", type: "tcp", host: "127.0.0.1", port: 9, confirmations: 1, paused: true, channelIds: [] } });
    expect(a.channelIds).toBeNull();
    expect(b.channelIds).toEqual([own.id]);
    expect(c.channelIds).toEqual([]);
    await db()
      .update(monitors)
      .set({ paused: false })
      .where(inArray(monitors.id, [a.id, b.id, c.id]));
    await recordResults([res(a.id, down()), res(b.id, down()), res(c.id, down())]);
    expect((await eventDeliveries(a.id, "down")).map((d) => d.channelId)).toEqual([def.id]);
    expect((await eventDeliveries(b.id, "down")).map((d) => d.channelId)).toEqual([own.id]);
    expect(await eventDeliveries(c.id, "down")).toEqual([]);

    const [ev] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: a.id, kind: "down", payload: {}, suppressed: true }).returning();
    await drainOutbox();
    expect(await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, ev!.id))).toEqual([]);
  });

  it("holds a recovery for the recovery delay, and a relapse within it sends neither", async () => {
    const t = await createTenant();
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/flap`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1, recoveryDelaySeconds: 120 });
    await recordResults([res(m.id, down())]);
    expect(await eventDeliveries(m.id, "down")).toHaveLength(1);
    await recordResults([res(m.id, up())]);
    await drainOutbox();
    const evs = async () => db().select().from(monitorEvents).where(eq(monitorEvents.monitorId, m.id)).orderBy(monitorEvents.id);
    expect((await evs()).find((e) => e.kind === "recovered")!.processedAt).toBeNull(); // waiting
    await recordResults([res(m.id, down("relapse"))]);
    await drainOutbox();
    const after = await evs();
    const relapse = after.filter((e) => e.kind === "down")[1]!;
    const rec = after.find((e) => e.kind === "recovered")!;
    expect(relapse.payload).toMatchObject({ notSentBecause: "relapsed within the recovery delay" });
    expect(rec.processedAt).not.toBeNull();
    expect(
      await db()
        .select()
        .from(notificationDeliveries)
        .where(inArray(notificationDeliveries.eventId, [relapse.id, rec.id])),
    ).toEqual([]);

    // A recovery that holds for the whole delay is sent.
    await recordResults([res(m.id, up())]);
    const rec2 = (await evs()).filter((e) => e.kind === "recovered")[1]!;
    await drainOutbox({ now: new Date(rec2.notifyAfter.getTime() + 1000) });
    expect(await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, rec2.id))).toHaveLength(1);
  });

  it("reminds every N minutes while still down, at most K times", async () => {
    const t = await createTenant();
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/remind`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1, reminderIntervalMinutes: 10, reminderMax: 2 });
    await recordResults([res(m.id, down())]);
    const [inc] = await db().select().from(incidents).where(eq(incidents.monitorId, m.id));
    const at = (min: number) => new Date(inc!.openedAt.getTime() + min * 60_000);
    await queueReminders(at(9));
    await queueReminders(at(10));
    await queueReminders(at(15));
    await queueReminders(at(20));
    await queueReminders(at(60));
    const reminders = await db()
      .select()
      .from(monitorEvents)
      .where(and(eq(monitorEvents.monitorId, m.id), eq(monitorEvents.kind, "reminder")))
      .orderBy(monitorEvents.id);
    expect(reminders.map((r) => r.payload.reminderNumber)).toEqual([1, 2]);
    expect(reminders[1]!.payload.downtimeSeconds).toBe(20 * 60);
    await drainOutbox({ now: at(61) });
    const ds = await eventDeliveries(m.id, "reminder");
    expect(await deliver(ds[0]!.id)).toMatchObject({ status: "delivered" });
    expect(rx.requests.filter((r) => r.path === "/remind").at(-1)!.json).toMatchObject({ type: "monitor.reminder", data: { state: "DOWN", reminderNumber: 1 } });
  });

  it("sends a test notification and shows the receiver's answer or the error", async () => {
    const t = await createTenant();
    const ok = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "Hook", type: "webhook", url: `${rx.url}/test-ok` } });
    const r = await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: ok.id });
    expect(r).toMatchObject({ ok: true, httpStatus: 200, error: null });
    expect(rx.requests.find((q) => q.path === "/test-ok")!.json).toMatchObject({ type: "monitor.test" });
    const mail = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "Bounce", type: "email", to: "bounce-me@example.test" } });
    const bad = await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: mail.id });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/mail server refused/);
    const tg = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "TG", type: "telegram", botToken: BOT, chatId: "1", baseUrl: `${rx.url}/tgbad` } });
    rx.script({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    const tgr = await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: tg.id });
    expect(tgr).toMatchObject({ ok: false, httpStatus: 401, error: "Telegram answered HTTP 401: Unauthorized" });
    expect(tgr.error).not.toContain(BOT);
    await expect(sendChannelTest({ ctx: t.ctx.VIEWER, channelId: ok.id })).rejects.toMatchObject({ status: 403 });
    const log = await db().select().from(notificationLog).where(eq(notificationLog.organizationId, t.org.id));
    expect(log.map((l) => [l.channelName, l.eventKind, l.status]).sort()).toEqual([
      ["Bounce", "test", "failed"],
      ["Hook", "test", "delivered"],
      ["TG", "test", "failed"],
    ]);
  });

  it("alerts once per SSL threshold crossed, and again after the certificate is renewed", async () => {
    const t = await createTenant();
    const m = await insertMonitor(t.org.id, { confirmations: 1 });
    const cert = (days: number) => ({
      ...up(),
      certificate: {
        subject: "example.test",
        issuer: "Test CA",
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validTo: new Date(Date.now() + days * 86_400_000 + 3_600_000).toISOString(),
        daysLeft: days,
      },
    });
    for (const d of [40, 20, 12, 12, 6, 5, 60, 29]) await recordResults([res(m.id, cert(d) as never)]);
    const evs = await db()
      .select()
      .from(monitorEvents)
      .where(and(eq(monitorEvents.monitorId, m.id), eq(monitorEvents.kind, "ssl_expiring")))
      .orderBy(monitorEvents.id);
    expect(evs.map((e) => e.payload.threshold)).toEqual([30, 14, 7, 30]);
  });
});

const deliveriesOf = (channelId: string) => db().select().from(notificationDeliveries).where(eq(notificationDeliveries.channelId, channelId));

/** Deletes the notification queue's keys only: other test files share this Redis prefix. */
async function loseNotificationQueue() {
  const r = workerConnection();
  const pattern = `${env().REDIS_PREFIX}bull:notifications:*`;
  let cursor = "0";
  do {
    const [next, keys] = await r.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length) await r.del(...keys);
  } while (cursor !== "0");
  r.disconnect();
}

describe("the worker's notification pipeline", () => {
  it("drains the outbox, sends, and retries through BullMQ with backoff until the receiver accepts", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/retry`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1 });
    // Earlier tests left jobs in the queue; answer by path so only this receiver misbehaves.
    let retryHits = 0;
    rx.fallback = (r) => (r.path === "/retry" && ++retryHits <= 2 ? { status: retryHits === 1 ? 503 : 500, body: "busy" } : { status: 200, body: { ok: true } });
    const n = startNotifications({ pollMs: 50 });
    try {
      await recordResults([res(m.id, down())]);
      const [d] = await until(async () => {
        const rows = await deliveriesOf(ch.id);
        return rows[0]?.status === "delivered" && rows;
      });
      expect(d!.attempts).toBe(3);
      const hits = rx.requests.filter((r) => r.path === "/retry");
      expect(hits).toHaveLength(3);
      // Same delivery id on every attempt, so a receiver can de-duplicate.
      expect(new Set(hits.map((h) => h.headers["webhook-id"])).size).toBe(1);
      const log = await db().select().from(notificationLog).where(eq(notificationLog.deliveryId, d!.id)).orderBy(notificationLog.id);
      expect(log.map((l) => l.status)).toEqual(["retrying", "retrying", "delivered"]);
    } finally {
      rx.fallback = { status: 200, body: { ok: true } };
      await n.stop();
    }
  });

  it("loses no alert when Redis loses the queue: the sweeper re-enqueues undelivered rows", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/swept`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1 });
    await recordResults([res(m.id, down())]);
    await drainOutbox(); // deliveries committed, jobs added — and then Redis loses them
    expect(await deliveriesOf(ch.id)).toHaveLength(1);
    await loseNotificationQueue();

    const n = startNotifications({ pollMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.requests.filter((r) => r.path === "/swept")).toHaveLength(0);
      expect(await sweepDeliveries({ olderThanMs: 5 * 60_000 })).toBe(0); // too young to sweep yet
      expect(await sweepDeliveries({ olderThanMs: 0 })).toBeGreaterThanOrEqual(1);
      await until(async () => (await deliveriesOf(ch.id))[0]?.status === "delivered");
      expect(rx.requests.filter((r) => r.path === "/swept")).toHaveLength(1);
      // Sweeping again never sends a delivered notification twice.
      await sweepDeliveries({ olderThanMs: 0 });
      await new Promise((r) => setTimeout(r, 200));
      expect(rx.requests.filter((r) => r.path === "/swept")).toHaveLength(1);
    } finally {
      await n.stop();
    }
  });
});

describe("retry schedule", () => {
  it("doubles from the base with 50–100 % jitter and caps at an hour", () => {
    const base = 15_000;
    expect(retryDelayMs(1, base, () => 0)).toBe(7_500);
    expect(retryDelayMs(1, base, () => 1)).toBe(15_000);
    expect(retryDelayMs(4, base, () => 1)).toBe(120_000);
    expect(retryDelayMs(7, base, () => 1)).toBe(960_000);
    expect(retryDelayMs(20, base, () => 1)).toBe(3_600_000);
    const total = Array.from({ length: 7 }, (_, i) => retryDelayMs(i + 1, base, () => 1)).reduce((a, b) => a + b, 0);
    expect(total).toBe(1_905_000); // 8 attempts span about half an hour at most
  });
});

describe("retention", () => {
  it("deletes notification history past 90 days but never pending work", async () => {
    const { purgeNotificationHistory } = await import("../../src/server/notifications/retention");
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Old", type: "webhook", url: `${rx.url}/old` } });
    const m = await insertMonitor(t.org.id);
    const old = new Date(Date.now() - 91 * 86_400_000);
    const [e] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: m.id, kind: "down", payload: {}, processedAt: old, createdAt: old }).returning();
    const [e2] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: m.id, kind: "down", payload: {}, processedAt: old, createdAt: old }).returning();
    const [done] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: e!.id, channelId: ch.id, status: "delivered", createdAt: old }).returning();
    const [pending] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: e2!.id, channelId: ch.id, status: "pending", createdAt: old }).returning();
    await db().insert(notificationLog).values({
      organizationId: t.org.id,
      deliveryId: done!.id,
      channelId: ch.id,
      channelName: "Old",
      channelType: "webhook",
      eventKind: "down",
      attempt: 1,
      status: "delivered",
      latencyMs: 3,
      createdAt: old,
    });
    const r = await purgeNotificationHistory();
    expect(r.log).toBeGreaterThanOrEqual(1);
    const left = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.channelId, ch.id));
    expect(left.map((d) => d.id)).toEqual([pending!.id]);
    expect(await db().select().from(notificationLog).where(eq(notificationLog.channelId, ch.id))).toEqual([]);
    await db().delete(notificationDeliveries).where(eq(notificationDeliveries.id, pending!.id));
  });
});

describe("a relapse within the recovery delay", () => {
  it("resolves the PagerDuty alert that was triggered, and the recovery and reminders name that incident and count from its start", async () => {
    const t = await createTenant();
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "PagerDuty", type: "pagerduty", routingKey: ROUTING, baseUrl: `${rx.url}/pd-relapse`, isDefault: true } });
    await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/hook-relapse`, isDefault: true } });
    const m = await insertMonitor(t.org.id, { confirmations: 1, recoveryDelaySeconds: 120, reminderIntervalMinutes: 10, reminderMax: 3 });
    const t0 = Date.now();
    const at = (s: number) => new Date(t0 + s * 1000);
    /** Drains the outbox as of `now` and sends whatever it created for this organization. */
    const send = async (now: Date) => {
      await drainOutbox({ now });
      const ds = await db()
        .select()
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.organizationId, t.org.id), eq(notificationDeliveries.status, "pending")));
      for (const d of ds) expect((await deliver(d.id)).status).toMatch(/delivered|skipped/);
    };

    await recordResults([res(m.id, down("first outage"))], at(0)); // incident A
    await send(at(0));
    await recordResults([res(m.id, up())], at(60)); // recovery A waits until 180 s
    await send(at(60));
    await recordResults([res(m.id, down("relapse"))], at(90)); // incident B, within the delay
    await send(at(90));
    const [a, b] = await db().select().from(incidents).where(eq(incidents.monitorId, m.id)).orderBy(incidents.openedAt);
    expect(b!.alertedIncidentId).toBe(a!.id);

    // Reminders keep A's cadence (10 min from A's start, not B's) and name A.
    expect(await queueReminders(at(600))).toBeGreaterThanOrEqual(1);
    await send(at(600));
    await recordResults([res(m.id, up())], at(700));
    await send(at(821));

    const pd = rx.requests.filter((r) => r.path === "/pd-relapse/v2/enqueue").map((r) => r.json as { event_action: string; dedup_key: string });
    expect(pd.map((p) => [p.event_action, p.dedup_key])).toEqual([
      ["trigger", `perigee-incident-${a!.id}`],
      ["resolve", `perigee-incident-${a!.id}`],
    ]);
    expect(JSON.stringify(pd)).not.toContain(b!.id);
    const hooks = rx.requests.filter((r) => r.path === "/hook-relapse").map((r) => r.json as { type: string; data: { incidentId: string; downtimeSeconds: number | null; cause: string | null } });
    expect(hooks.map((h) => h.type)).toEqual(["monitor.down", "monitor.reminder", "monitor.recovered"]);
    expect(hooks[0]!.data).toMatchObject({ incidentId: a!.id, cause: "first outage" });
    expect(hooks[1]!.data).toMatchObject({ incidentId: a!.id, downtimeSeconds: 600 });
    expect(hooks[2]!.data).toMatchObject({ incidentId: a!.id, downtimeSeconds: 700 });
  });
});

/** All keys of one Redis prefix: a FLUSHDB as far as a worker on that prefix can tell. */
const deleteKeys = (prefix: string) => deleteRedisPrefix(prefix, env().REDIS_URL);

describe("the worker after Redis is flushed", () => {
  it("re-asserts its job schedulers, so the sweeper resumes and delivers what Redis lost", { timeout: 60_000 }, async () => {
    // A worker process of its own, on a prefix of its own (inside this run's, so the run's
    // teardown removes it), in a region no monitor uses: its keys can be deleted wholesale.
    const prefix = `${env().REDIS_PREFIX}flush-${randomBytes(3).toString("hex")}:`;
    const script = `const { startWorker } = await import("./workers/worker.ts");
      const w = await startWorker({ schedulerRefreshMs: 300 });
      process.on("SIGTERM", () => void w.stop().then(() => process.exit(0)));`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, REDIS_PREFIX: prefix, WORKER_REGION: `flush-${randomBytes(3).toString("hex")}`, LOG_LEVEL: "error" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const conn = workerConnection();
    const maintenance = new Queue(MAINTENANCE_QUEUE, { connection: conn, prefix: `${prefix}bull` });
    const schedulerIds = async () => (await maintenance.getJobSchedulers()).map((s) => s.key).sort();
    const expected = enabledMaintenanceJobs()
      .map(([, j]) => j.name)
      .sort();
    try {
      await until(async () => JSON.stringify(await schedulerIds()) === JSON.stringify(expected), 30_000);
      await deleteKeys(prefix);

      // Undelivered for long enough to be swept, and written after the flush: only a sweep
      // that runs after it can send this.
      const t = await createTenant();
      const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/after-flush` } });
      const m = await insertMonitor(t.org.id);
      const old = new Date(Date.now() - 10 * 60_000);
      const [e] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: m.id, kind: "down", payload: {}, processedAt: old, createdAt: old }).returning();
      const [d] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: e!.id, channelId: ch.id, createdAt: old }).returning();

      await until(async () => JSON.stringify(await schedulerIds()) === JSON.stringify(expected), 10_000);
      // A re-created scheduler runs its first job at once; that first sweep may have run before
      // the rows above existed (the next is a minute away). Lose Redis once more, now that they
      // do: the sweep that follows the re-assert must find and send the delivery.
      await deleteKeys(prefix);
      await until(async () => JSON.stringify(await schedulerIds()) === JSON.stringify(expected), 10_000);
      // The sweep and reminders ran again in this worker's (flushed) Redis.
      await until(async () => {
        const names = (await maintenance.getJobs(["completed"])).map((j) => j.name);
        return names.includes(maintenanceJobs.notificationSweep.name) && names.includes(maintenanceJobs.notificationReminders.name);
      }, 10_000);
      await until(async () => (await deliveriesOf(ch.id))[0]?.status === "delivered", 10_000);
      expect(rx.requests.filter((r) => r.path === "/after-flush")).toHaveLength(1);
      expect(await db().select().from(notificationLog).where(eq(notificationLog.deliveryId, d!.id))).toHaveLength(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await maintenance.close();
      conn.disconnect();
    }
  });
});
