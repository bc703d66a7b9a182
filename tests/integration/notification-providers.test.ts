// How each HTTP provider's refusals and hiccups are handled through the real delivery path
// (monitor DOWN → outbox → deliver(), what the notification job runs), against loopback
// receivers answering as the real provider would; and what deleting a channel does to the
// monitors that chose it.
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db, pool } from "../../src/server/db/client";
import { auditLog, monitorChannels, monitorEvents, monitors, notificationChannels, notificationDeliveries, notificationLog } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { deliver, sendTo } from "../../src/server/notifications/deliver";
import { testMessage } from "../../src/server/notifications/message";
import { drainOutbox } from "../../src/server/notifications/outbox";
import { backoffStrategy } from "../../src/server/notifications/queue";
import { createChannel } from "../../src/server/services/channels/create";
import { deleteChannel } from "../../src/server/services/channels/delete";
import { getChannel } from "../../src/server/services/channels/get";
import { createMonitor } from "../../src/server/services/monitors/create";
import { getMonitor } from "../../src/server/services/monitors/get";
import { updateMonitor } from "../../src/server/services/monitors/update";
import type { Ctx } from "../../src/server/context";
import { api, apiTenant } from "../helpers/api";
import { createTenant } from "../helpers/factories";
import { down, insertMonitor, res } from "../helpers/monitor-factory";
import { startReceiver, type Answer, type Receiver } from "../helpers/receiver";
import { until } from "../helpers/until";

const BOT = "123456789:AAE_test-token-0123456789abcdefghij";
const ROUTING = "R0UT1NGKEY0123456789abcdefghijkl";
const SID = "AC0123456789abcdef0123456789abcdef";
const TWILIO_TOKEN = "twilio-auth-token-secret";

const receivers: Receiver[] = [];
async function receiver(fallback?: Receiver["fallback"]) {
  const rx = await startReceiver(fallback);
  receivers.push(rx);
  return rx;
}
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

const rowOf = async (id: string) => (await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id)))[0]!;
const logOf = (id: string) => db().select().from(notificationLog).where(eq(notificationLog.deliveryId, id)).orderBy(asc(notificationLog.id));

/** Takes the monitor DOWN (confirmations 1) and returns the deliveries of that DOWN event. */
async function downDeliveries(monitorId: string) {
  await recordResults([res(monitorId, down("Expected status 200-299, got 503"))]);
  const events = () =>
    db()
      .select()
      .from(monitorEvents)
      .where(and(eq(monitorEvents.monitorId, monitorId), eq(monitorEvents.kind, "down")))
      .orderBy(asc(monitorEvents.id));
  const e = (await events()).at(-1)!;
  // Another file's worker may be draining the same outbox (skip-locked): wait for whoever has it.
  await until(async () => {
    await drainOutbox();
    const [now] = await db().select().from(monitorEvents).where(eq(monitorEvents.id, e.id));
    return now!.processedAt !== null;
  });
  return db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, e.id)).orderBy(asc(notificationDeliveries.createdAt));
}

/**
 * One attempt of a delivery, run as its queue job runs it. Other test files run notification
 * workers on this run's shared queue; if one of them took the attempt, wait for it to finish,
 * so the assertions are about what was recorded whoever sent it.
 */
async function attempt(deliveryId: string) {
  const result = await deliver(deliveryId);
  if (result.status === "not_claimed") await until(async () => (await rowOf(deliveryId)).status !== "sending");
  return { result, row: await rowOf(deliveryId), log: await logOf(deliveryId) };
}

/** A monitor whose own (only) channel is `channelId`. */
async function monitorOn(orgId: string, channelIds: string[], name = "Checkout API") {
  const m = await insertMonitor(orgId, { name, confirmations: 1, customChannels: true });
  await db()
    .insert(monitorChannels)
    .values(channelIds.map((channelId) => ({ monitorId: m.id, channelId })));
  return m;
}

type Refusal = { status: number; answer: Answer; error: string };
type Provider = {
  type: "webhook" | "slack" | "pagerduty" | "telegram" | "sms";
  channel: (base: string) => Record<string, unknown>;
  /** A credential that must never show up in an error. */
  secret: string;
  healthy: Answer;
  /** Requests the provider refuses: retrying cannot help. */
  refusals: Refusal[];
  /** Answers meaning "not now": 429 (with Retry-After), 500, 408. */
  busy: { status: number; answer: Answer; error: string }[];
  /** Sender bug reported, not fixed here: the provider's Retry-After does not reach the queue. */
};

const twilioError = (status: number, code: number, message: string): Answer => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });
const telegramError = (status: number, description: string, extra: Record<string, unknown> = {}): Answer => ({ status, body: { ok: false, error_code: status, description, ...extra } });
const PD_INVALID = { status: "invalid event", message: "Event object is invalid", errors: ["'routing_key' is invalid"] };
const PD_THROTTLE = { status: "throttle event", message: "Requests for this service are arriving too quickly. Please retry later." };

const PROVIDERS: Provider[] = [
  {
    type: "webhook",
    channel: (base) => ({ name: "Ops hook", type: "webhook", url: `${base}/hook?token=hook-secret-0123` }),
    secret: "hook-secret-0123",
    healthy: { status: 204, body: "" },
    refusals: [
      { status: 400, answer: { status: 400, body: { error: "unknown event type" } }, error: 'The webhook receiver answered HTTP 400: {"error":"unknown event type"}' },
      { status: 401, answer: { status: 401, body: { error: "bad signature" } }, error: 'The webhook receiver answered HTTP 401: {"error":"bad signature"}' },
      { status: 403, answer: { status: 403, body: "Forbidden" }, error: "The webhook receiver answered HTTP 403: Forbidden" },
      { status: 404, answer: { status: 404, body: "Not Found" }, error: "The webhook receiver answered HTTP 404: Not Found" },
    ],
    busy: [
      { status: 429, answer: { status: 429, body: "slow down", retryAfter: 2 }, error: "The webhook receiver answered HTTP 429: slow down" },
      { status: 500, answer: { status: 500, body: "Internal Server Error" }, error: "The webhook receiver answered HTTP 500: Internal Server Error" },
      { status: 408, answer: { status: 408, body: "Request Timeout" }, error: "The webhook receiver answered HTTP 408: Request Timeout" },
    ],
  },
  {
    type: "slack",
    channel: (base) => ({ name: "Ops Slack", type: "slack", url: `${base}/services/T000/B000/slack-secret-path` }),
    secret: "slack-secret-path",
    healthy: { status: 200, body: "ok" },
    refusals: [
      { status: 400, answer: { status: 400, body: "invalid_payload" }, error: "Slack answered HTTP 400: invalid_payload" },
      { status: 403, answer: { status: 403, body: "invalid_token" }, error: "Slack answered HTTP 403: invalid_token" },
      { status: 404, answer: { status: 404, body: "no_service" }, error: "Slack answered HTTP 404: no_service" },
      { status: 410, answer: { status: 410, body: "channel_is_archived" }, error: "Slack answered HTTP 410: channel_is_archived" },
    ],
    busy: [
      { status: 429, answer: { status: 429, body: "rate_limited", retryAfter: 2 }, error: "Slack answered HTTP 429: rate_limited" },
      { status: 500, answer: { status: 500, body: "rollup_error" }, error: "Slack answered HTTP 500: rollup_error" },
      { status: 408, answer: { status: 408, body: "request_timeout" }, error: "Slack answered HTTP 408: request_timeout" },
    ],
  },
  {
    type: "pagerduty",
    channel: (base) => ({ name: "PagerDuty", type: "pagerduty", routingKey: ROUTING, baseUrl: `${base}/pd` }),
    secret: ROUTING,
    healthy: { status: 202, body: { status: "success", message: "Event processed", dedup_key: "perigee-incident-1" } },
    refusals: [
      { status: 400, answer: { status: 400, body: PD_INVALID }, error: `PagerDuty answered HTTP 400: ${JSON.stringify(PD_INVALID)}` },
      { status: 404, answer: { status: 404, body: "Not Found" }, error: "PagerDuty answered HTTP 404: Not Found" },
    ],
    busy: [
      { status: 429, answer: { status: 429, body: PD_THROTTLE, retryAfter: 2 }, error: `PagerDuty answered HTTP 429: ${JSON.stringify(PD_THROTTLE)}` },
      { status: 500, answer: { status: 500, body: "Internal Server Error" }, error: "PagerDuty answered HTTP 500: Internal Server Error" },
      { status: 408, answer: { status: 408, body: "Request Timeout" }, error: "PagerDuty answered HTTP 408: Request Timeout" },
    ],
  },
  {
    type: "telegram",
    channel: (base) => ({ name: "Telegram", type: "telegram", botToken: BOT, chatId: "-1001234567890", baseUrl: `${base}/tg` }),
    secret: BOT,
    healthy: { status: 200, body: { ok: true, result: { message_id: 7 } } },
    refusals: [
      { status: 400, answer: telegramError(400, "Bad Request: chat not found"), error: "Telegram answered HTTP 400: Bad Request: chat not found" },
      { status: 401, answer: telegramError(401, "Unauthorized"), error: "Telegram answered HTTP 401: Unauthorized" },
      { status: 403, answer: telegramError(403, "Forbidden: bot was blocked by the user"), error: "Telegram answered HTTP 403: Forbidden: bot was blocked by the user" },
      { status: 404, answer: telegramError(404, "Not Found"), error: "Telegram answered HTTP 404: Not Found" },
    ],
    busy: [
      {
        status: 429,
        answer: { ...telegramError(429, "Too Many Requests: retry after 2", { parameters: { retry_after: 2 } }), retryAfter: 2 },
        error: "Telegram answered HTTP 429: Too Many Requests: retry after 2",
      },
      { status: 500, answer: telegramError(500, "Internal Server Error"), error: "Telegram answered HTTP 500: Internal Server Error" },
      { status: 408, answer: { status: 408, body: "Request Timeout" }, error: "Telegram answered HTTP 408: Request Timeout" },
    ],
  },
  {
    type: "sms",
    // A custom base URL carries the channel's own Twilio account, never the server's TWILIO_*.
    channel: (base) => ({ name: "On-call SMS", type: "sms", to: "+14155550123", accountSid: SID, authToken: TWILIO_TOKEN, from: "+14155550100", baseUrl: `${base}/twilio` }),
    secret: TWILIO_TOKEN,
    healthy: { status: 201, body: { sid: "SM0123456789abcdef0123456789abcdef", status: "queued" } },
    refusals: [
      {
        status: 400,
        answer: twilioError(400, 21211, "The 'To' number +14155550123 is not a valid phone number."),
        error: "Twilio answered HTTP 400: The 'To' number +14155550123 is not a valid phone number.",
      },
      { status: 401, answer: twilioError(401, 20003, "Authenticate"), error: "Twilio answered HTTP 401: Authenticate" },
      {
        status: 404,
        answer: twilioError(404, 20404, `The requested resource /2010-04-01/Accounts/${SID}/Messages.json was not found`),
        error: "Twilio answered HTTP 404: The requested resource /2010-04-01/Accounts/AC…/Messages.json was not found",
      },
    ],
    busy: [
      { status: 429, answer: { ...twilioError(429, 20429, "Too Many Requests"), retryAfter: 2 }, error: "Twilio answered HTTP 429: Too Many Requests" },
      { status: 500, answer: twilioError(500, 20500, "Internal Server Error"), error: "Twilio answered HTTP 500: Internal Server Error" },
      { status: 408, answer: twilioError(408, 20408, "Request Timeout"), error: "Twilio answered HTTP 408: Request Timeout" },
    ],
  },
];

describe.each(PROVIDERS)("$type", (p) => {
  let ctx: Ctx | undefined;
  /** A fresh receiver, channel and DOWN event: one delivery to this provider. */
  async function oneDelivery(first: Answer) {
    ctx ??= (await createTenant(`Providers ${p.type}`)).ctx.ADMIN;
    const rx = await receiver(p.healthy);
    rx.script(first);
    const ch = await createChannel({ ctx, input: p.channel(rx.url) });
    const m = await monitorOn(ctx.org.id, [ch.id]);
    const ds = await downDeliveries(m.id);
    expect(ds.map((d) => d.channelId)).toEqual([ch.id]);
    return { rx, ch, delivery: ds[0]! };
  }

  it.each(p.refusals)("HTTP $status fails at once as unrecoverable, with the provider's answer on the channel and in the log", async ({ status, answer, error }) => {
    const { rx, ch, delivery } = await oneDelivery(answer);
    const a = await attempt(delivery.id);
    if (a.result.status !== "not_claimed") expect(a.result).toMatchObject({ status: "failed", error: { retryable: false, httpStatus: status, message: error } });
    expect(a.row).toMatchObject({ status: "failed", attempts: 1, lastError: error, lockedUntil: null });
    expect(a.log).toHaveLength(1);
    expect(a.log[0]).toMatchObject({ status: "failed", attempt: 1, httpStatus: status, error, channelName: ch.name, channelType: p.type, eventKind: "down" });
    const seen = await getChannel({ ctx: ctx!, channelId: ch.id });
    expect(seen.lastError).toBe(error);
    expect(seen.lastErrorAt).not.toBeNull();
    expect(error).not.toContain(p.secret);
    // Nothing sends it again: not a second run of its job, not the sweeper (failed is final).
    expect((await attempt(delivery.id)).result).toEqual({ status: "not_claimed" });
    expect(rx.requests).toHaveLength(1);
    expect(await logOf(delivery.id)).toHaveLength(1);
  });

  it.each(p.busy)("HTTP $status is recorded as retryable, retried, and delivered once the provider recovers", async ({ status, answer, error }) => {
    const { rx, ch, delivery } = await oneDelivery(answer);
    const first = await attempt(delivery.id);
    if (first.result.status !== "not_claimed") expect(first.result).toMatchObject({ status: "retry", error: { retryable: true, httpStatus: status, message: error } });
    expect(first.log[0]).toMatchObject({ status: "retrying", attempt: 1, httpStatus: status, error, channelName: ch.name, channelType: p.type });
    expect((await getChannel({ ctx: ctx!, channelId: ch.id })).lastError).toBe(error);

    // The receiver is healthy again (its fallback): the job's next run delivers.
    const second = await attempt(delivery.id);
    expect(second.row).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
    expect(second.log.map((l) => [l.attempt, l.status, l.httpStatus])).toEqual([
      [1, "retrying", status],
      [2, "delivered", p.healthy.status],
    ]);
    expect(rx.requests).toHaveLength(2);
    const seen = await getChannel({ ctx: ctx!, channelId: ch.id });
    expect(seen.lastError).toBeNull();
    expect(seen.lastDeliveredAt).not.toBeNull();
  });

  it("hands the provider's Retry-After to the queue's backoff", async () => {
    const rx = await receiver(p.healthy);
    rx.script(p.busy.find((b) => b.status === 429)!.answer);
    ctx ??= (await createTenant(`Providers ${p.type}`)).ctx.ADMIN;
    const ch = await createChannel({ ctx, input: p.channel(rx.url) });
    const [row] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, ch.id));
    // sendTo is the send step of deliver(); backoffStrategy is the worker's retry setting.
    const r = await sendTo(row!, testMessage(ch.name), "retry-after-check");
    expect(r).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 2000 } });
    if (r.ok) return;
    expect(backoffStrategy(1, "perigee", r.error)).toBe(2000);
  });
});

describe("one event, several channels", () => {
  it("a misconfigured or hanging channel blocks neither another channel of the same event nor its retry", async () => {
    const t = await createTenant("Providers fan-out");
    const ok = await receiver();
    const refusing = await receiver({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    const hanging = await receiver({ status: 200, body: { ok: true }, delayMs: 5_000 });
    const good = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Good hook", type: "webhook", url: `${ok.url}/good` } });
    const bad = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Wrong bot", type: "telegram", botToken: BOT, chatId: "1", baseUrl: `${refusing.url}/tg` } });
    const slow = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Slow Slack", type: "slack", url: `${hanging.url}/services/T/B/X` } });
    const m = await monitorOn(t.org.id, [bad.id, slow.id, good.id]);
    const ds = await downDeliveries(m.id);
    const of = (id: string) => ds.find((d) => d.channelId === id)!.id;
    expect(ds).toHaveLength(3);

    // The worker runs a job per delivery concurrently: the good one does not wait for the others.
    const started = Date.now();
    const [b, s, g] = await Promise.all([attempt(of(bad.id)), attempt(of(slow.id)), attempt(of(good.id)).then((x) => ({ ...x, ms: Date.now() - started }))]);
    expect(g.row.status).toBe("delivered");
    expect(g.ms).toBeLessThan(1_500); // NOTIFY_TIMEOUT_MS is 2000 in tests
    expect(b.row).toMatchObject({ status: "failed", lastError: "Telegram answered HTTP 401: Unauthorized" });
    expect(s.row).toMatchObject({ status: "pending", lastError: "Could not reach the receiver: no answer within 2000 ms" });
    expect(ok.requests.map((r) => r.path)).toEqual(["/good"]);

    // The failed channel's error stays on that channel only.
    expect((await getChannel({ ctx: t.ctx.ADMIN, channelId: good.id })).lastError).toBeNull();
    expect((await getChannel({ ctx: t.ctx.ADMIN, channelId: bad.id })).lastError).toBe("Telegram answered HTTP 401: Unauthorized");

    // The hanging one is retried and goes through once its receiver answers in time.
    hanging.fallback = { status: 200, body: "ok" };
    expect((await attempt(of(slow.id))).row).toMatchObject({ status: "delivered", attempts: 2 });
  });
});

describe("deleting a channel", () => {
  const tcp = (name: string, channelIds?: string[]) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, confirmations: 1, paused: true, ...(channelIds ? { channelIds } : {}) });

  it("moves monitors whose only own channel it was to the default channels, says which, and they alert there", async () => {
    const t = await createTenant("Providers delete");
    const rx = await receiver();
    const def = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Default hook", type: "webhook", url: `${rx.url}/default`, isDefault: true } });
    const x = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Team hook", type: "webhook", url: `${rx.url}/x` } });
    const y = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Other hook", type: "webhook", url: `${rx.url}/y` } });
    const checkout = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("Checkout", [x.id]) });
    const billing = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("Billing", [x.id]) });
    const search = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("Search", [x.id, y.id]) });
    const batch = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("Batch", []) });
    const docs = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("Docs") });

    const r = await deleteChannel({ ctx: t.ctx.EDITOR, channelId: x.id });
    expect(r).toEqual({
      monitorsNowOnDefaults: [
        { id: billing.id, name: "Billing" },
        { id: checkout.id, name: "Checkout" },
      ],
      defaultChannelCount: 1,
    });
    const channelsOf = async (id: string) => (await getMonitor({ ctx: t.ctx.VIEWER, monitorId: id })).channelIds;
    expect(await channelsOf(checkout.id)).toBeNull();
    expect(await channelsOf(billing.id)).toBeNull();
    expect(await channelsOf(search.id)).toEqual([y.id]); // still has a channel of its own
    expect(await channelsOf(batch.id)).toEqual([]); // chose no channels on purpose: left alone
    expect(await channelsOf(docs.id)).toBeNull();
    const rows = await db()
      .select({ id: monitors.id, customChannels: monitors.customChannels })
      .from(monitors)
      .where(inArray(monitors.id, [checkout.id, billing.id, search.id, batch.id]));
    expect(Object.fromEntries(rows.map((m) => [m.id, m.customChannels]))).toEqual({ [checkout.id]: false, [billing.id]: false, [search.id]: true, [batch.id]: true });

    // Audited in the same transaction: the deletion, and each monitor's change of routing.
    const audit = await db().select().from(auditLog).where(eq(auditLog.organizationId, t.org.id)).orderBy(asc(auditLog.id));
    const deleted = audit.filter((a) => a.action === "channel.deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ actorUserId: t.editor.id, targetId: x.id, metadata: { name: "Team hook", type: "webhook", monitorsNowOnDefaults: [billing.id, checkout.id] } });
    const moved = audit.filter((a) => a.action === "monitor.updated");
    expect(moved.map((a) => a.targetId).sort()).toEqual([billing.id, checkout.id].sort());
    expect(moved[0]!.metadata).toMatchObject({ fields: ["channelIds"], channelIds: null });

    // Their next DOWN goes to the default channel, through the real routing and delivery.
    await db()
      .update(monitors)
      .set({ paused: false })
      .where(inArray(monitors.id, [checkout.id, search.id]));
    const toCheckout = await downDeliveries(checkout.id);
    expect(toCheckout.map((d) => d.channelId)).toEqual([def.id]);
    expect((await downDeliveries(search.id)).map((d) => d.channelId)).toEqual([y.id]);
    expect((await attempt(toCheckout[0]!.id)).row.status).toBe("delivered");
    const hit = rx.requests.find((q) => q.path === "/default")!;
    expect(hit.json).toMatchObject({ type: "monitor.down", data: { monitor: { id: checkout.id, name: "Checkout" } } });
  });

  it("says so when there is no default channel to fall back to", async () => {
    const t = await createTenant("Providers no default");
    const x = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Only", type: "email", to: "only@example.test" } });
    const m = await createMonitor({ ctx: t.ctx.ADMIN, input: tcp("Lonely", [x.id]) });
    expect(await deleteChannel({ ctx: t.ctx.ADMIN, channelId: x.id })).toEqual({ monitorsNowOnDefaults: [{ id: m.id, name: "Lonely" }], defaultChannelCount: 0 });
    expect((await getMonitor({ ctx: t.ctx.ADMIN, monitorId: m.id })).channelIds).toBeNull();
    // A channel nobody relied on alone moves nobody.
    const y = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Spare", type: "email", to: "spare@example.test" } });
    expect(await deleteChannel({ ctx: t.ctx.ADMIN, channelId: y.id })).toEqual({ monitorsNowOnDefaults: [], defaultChannelCount: 0 });
  });

  it("changes nothing when refused: a viewer gets 403, another organization 404", async () => {
    const t = await createTenant("Providers denied");
    const x = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Only", type: "email", to: "only@example.test" } });
    const m = await createMonitor({ ctx: t.ctx.ADMIN, input: tcp("Kept", [x.id]) });
    await expect(deleteChannel({ ctx: t.ctx.VIEWER, channelId: x.id })).rejects.toMatchObject({ status: 403 });
    const other = await createTenant("Providers other");
    await expect(deleteChannel({ ctx: other.ctx.ADMIN, channelId: x.id })).rejects.toMatchObject({ status: 404 });
    expect((await getMonitor({ ctx: t.ctx.ADMIN, monitorId: m.id })).channelIds).toEqual([x.id]);
  });

  // An edit of the monitor is in flight (its row locked, maybe its new links written, not
  // committed) when the channel is deleted: the delete waits for it, judges what it wrote,
  // and takes the locks in the same order (monitor, then channel), so neither deadlocks.
  it.each([
    { edit: "puts it on the deleted channel alone", before: ["y"], after: ["x"], linksFirst: true, moved: true },
    { edit: "drops its other channel", before: ["x", "y"], after: ["x"], linksFirst: true, moved: true },
    { edit: "adds another channel", before: ["x"], after: ["x", "y"], linksFirst: false, moved: false },
  ])("leaves no monitor with own channels and none linked while an edit that $edit commits", async ({ before, after, linksFirst, moved }) => {
    const t = await createTenant("Providers race");
    const ids: Record<string, string> = {};
    for (const n of ["x", "y"]) ids[n] = (await createChannel({ ctx: t.ctx.ADMIN, input: { name: n, type: "email", to: `${n}@example.test` } })).id;
    const m = await createMonitor({
      ctx: t.ctx.ADMIN,
      input: tcp(
        "Raced",
        before.map((n) => ids[n]!),
      ),
    });
    const edit = await pool().connect();
    try {
      // What updateMonitor does: lock the monitor, then replace its links.
      const writeLinks = async () => {
        await edit.query("delete from monitor_channels where monitor_id = $1", [m.id]);
        for (const n of after) await edit.query("insert into monitor_channels (monitor_id, channel_id) values ($1, $2)", [m.id, ids[n]]);
      };
      await edit.query("begin");
      await edit.query("select id from monitors where id = $1 for update", [m.id]);
      if (linksFirst) await writeLinks();
      let settled = false;
      const del = deleteChannel({ ctx: t.ctx.ADMIN, channelId: ids.x! }).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false); // waiting for the edit's locks
      if (!linksFirst) await writeLinks();
      await edit.query("commit");
      expect(await del).toEqual({ monitorsNowOnDefaults: moved ? [{ id: m.id, name: "Raced" }] : [], defaultChannelCount: 0 });
    } finally {
      edit.release();
    }
    expect((await getMonitor({ ctx: t.ctx.ADMIN, monitorId: m.id })).channelIds).toEqual(moved ? null : [ids.y]);
  });

  it("an edit that picks a channel being deleted gets 'Unknown channel' (400), not a foreign-key 500", async () => {
    const t = await createTenant("Providers pick race");
    const x = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Going", type: "email", to: "going@example.test" } });
    const m = await createMonitor({ ctx: t.ctx.ADMIN, input: tcp("Picker", []) });
    const del = await pool().connect();
    try {
      await del.query("begin");
      await del.query("delete from notification_channels where id = $1", [x.id]);
      const edit = updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { channelIds: [x.id] } }).then(
        () => null,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 300));
      await del.query("commit");
      expect(await edit).toMatchObject({ status: 400, fields: { channelIds: [`Unknown channel: ${x.id}`] } });
    } finally {
      del.release();
    }
  });

  it("the REST API still answers 204, and the monitor then reads channelIds null", async () => {
    const t = await apiTenant("Providers API");
    const { key } = await t.key();
    const x = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Only", type: "email", to: "only@example.test" } });
    const m = await createMonitor({ ctx: t.ctx.ADMIN, input: tcp("Via API", [x.id]) });
    const del = await api("DELETE", `/api/v1/channels/${x.id}`, { key });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await api("GET", `/api/v1/monitors/${m.id}`, { key })).body).toMatchObject({ id: m.id, channelIds: null });
  });
});

describe("Telegram's own wait hint", () => {
  it("a 429 with parameters.retry_after in the body and no Retry-After header still sets the backoff", async () => {
    const rx = await receiver({ status: 200, body: { ok: true, result: { message_id: 1 } } });
    rx.script(telegramError(429, "Too Many Requests: retry after 3", { parameters: { retry_after: 3 } }));
    const ctx = (await createTenant("Telegram hint")).ctx.ADMIN;
    const ch = await createChannel({ ctx, input: { name: "TG", type: "telegram", botToken: BOT, chatId: "-100123", baseUrl: `${rx.url}/tg` } });
    const [row] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, ch.id));
    const r = await sendTo(row!, testMessage(ch.name), "telegram-hint");
    expect(r).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 3000, message: "Telegram answered HTTP 429: Too Many Requests: retry after 3" } });
    if (!r.ok) expect(backoffStrategy(1, "perigee", r.error)).toBe(3000);
  });
});
