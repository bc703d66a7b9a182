// Opsgenie (Alerts API v2) through the real delivery path against loopback receivers answering
// as Opsgenie does: create on DOWN, close on recovery with the same alias, the test alert
// closed again, the region's instance, and how refusals and rate limits are handled.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { incidents, monitorChannels, monitors } from "../../src/server/db/schema";
import { env } from "../../src/server/env";
import { backoffStrategy } from "../../src/server/notifications/queue";
import { createChannel } from "../../src/server/services/channels/create";
import { getChannel } from "../../src/server/services/channels/get";
import type { Ctx } from "../../src/server/context";
import { attempt, goDown, monitorOn, recover, sendTestTo } from "../helpers/channel-delivery";
import { createTenant } from "../helpers/factories";
import { startReceiver, type Answer, type Receiver } from "../helpers/receiver";

const KEY = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const ACCEPTED: Answer = { status: 202, body: { result: "Request will be processed", took: 0.012, requestId: "43a29c5c-3dbf-4fa4-9c26-f4f71023e120" } };
const receivers: Receiver[] = [];
async function receiver() {
  const rx = await startReceiver(ACCEPTED);
  receivers.push(rx);
  return rx;
}
// The install's own endpoints (read by env() on first use, in this file's tests).
let us: Receiver;
let eu: Receiver;
beforeAll(async () => {
  us = await receiver();
  eu = await receiver();
  process.env.OPSGENIE_API_URL = `${us.url}/us`;
  process.env.OPSGENIE_EU_API_URL = `${eu.url}/eu`;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

type Alert = { message: string; alias: string; description: string; priority: string; source: string; entity: string; tags: string[]; details: Record<string, string> };

let ctx: Ctx | undefined;
async function setup(first?: Answer, input: Record<string, unknown> = {}) {
  ctx ??= (await createTenant("Opsgenie")).ctx.ADMIN;
  const rx = await receiver();
  if (first) rx.script(first);
  const ch = await createChannel({ ctx, input: { name: "On-call", type: "opsgenie", apiKey: KEY, baseUrl: `${rx.url}/og`, ...input } });
  const m = await monitorOn(ctx.org.id, [ch.id]);
  return { rx, ch, m };
}

describe("opsgenie", () => {
  it("stores the API key sealed and answers it masked, with the region", async () => {
    const { ch } = await setup(undefined, { region: "eu" });
    expect(ch).toMatchObject({ type: "opsgenie", apiKey: "••••••", region: "eu" });
    expect(JSON.stringify(await getChannel({ ctx: ctx!, channelId: ch.id }))).not.toContain(KEY);
    const plainUs = await createChannel({ ctx: ctx!, input: { name: "US", type: "opsgenie", apiKey: KEY } });
    expect(plainUs.region).toBe("us");
  });

  it("creates a P1 alert on DOWN aliased by the incident, and closes that alias on recovery", async () => {
    const { rx, m } = await setup();
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    expect(a.row).toMatchObject({ status: "delivered", attempts: 1 });
    expect(a.log.map((l) => [l.status, l.httpStatus])).toEqual([["delivered", 202]]);
    const create = rx.requests[0]!;
    expect(create.method).toBe("POST");
    expect(create.path).toBe("/og/v2/alerts");
    expect(create.headers.authorization).toBe(`GenieKey ${KEY}`);
    const alert = create.json as Alert;
    const [incident] = await db().select().from(incidents).where(eq(incidents.monitorId, m.id));
    expect(alert.alias).toBe(`perigee-incident-${incident!.id}`);
    expect(alert).toMatchObject({ message: "Checkout API is DOWN", priority: "P1", source: "Perigee", entity: "Checkout API", tags: ["perigee", "down"] });
    expect(alert.description).toContain("Expected status 200-299, got 503.");
    expect(alert.description).toContain(`/monitors/${m.id}`);
    expect(alert.details).toMatchObject({ monitor: "Checkout API", monitorId: m.id, state: "DOWN", cause: "Expected status 200-299, got 503", target: "http://127.0.0.1:9/", statusCode: "503" });

    const [r] = await recover(m.id);
    expect((await attempt(r!.id)).row.status).toBe("delivered");
    const close = rx.requests[1]!;
    expect(close.path).toBe(`/og/v2/alerts/${encodeURIComponent(alert.alias)}/close?identifierType=alias`);
    expect(close.headers.authorization).toBe(`GenieKey ${KEY}`);
    expect(close.json).toMatchObject({ source: "Perigee", note: expect.stringMatching(/^Checkout API is back UP after /) });
    expect(rx.requests).toHaveLength(2);
  });

  it("its alias is the key PagerDuty de-duplicates the same incident on", async () => {
    const { rx, m } = await setup();
    const pd = await receiver();
    const pdChannel = await createChannel({ ctx: ctx!, input: { name: "PD", type: "pagerduty", routingKey: "R0UT1NGKEY0123456789abcdefghijkl", baseUrl: `${pd.url}/pd` } });
    await db().insert(monitorChannels).values({ monitorId: m.id, channelId: pdChannel.id });
    for (const d of await goDown(m.id)) await attempt(d.id);
    expect((rx.requests[0]!.json as Alert).alias).toBe((pd.requests[0]!.json as { dedup_key: string }).dedup_key);
  });

  it("keeps the message within 130 characters, as plain text without control characters", async () => {
    const { rx, m } = await setup();
    await db()
      .update(monitors)
      .set({ name: `Checkout\u0007\u001b[31m ${"x".repeat(200)}` })
      .where(eq(monitors.id, m.id));
    const [d] = await goDown(m.id);
    await attempt(d!.id);
    const alert = rx.requests[0]!.json as Alert;
    expect(alert.message.length).toBeLessThanOrEqual(130);
    expect(alert.message.endsWith("…")).toBe(true);
    expect(alert.message.startsWith("Checkout  [31m x")).toBe(true);
    expect(JSON.stringify(alert)).not.toMatch(/\\u00(07|1b)/);
  });

  it("the test send creates a P5 test alert and closes it again", async () => {
    const { rx, ch } = await setup();
    const r = await sendTestTo(ch.id);
    expect(r).toMatchObject({ ok: true, httpStatus: 202, response: expect.stringContaining("(test alert closed again)") });
    const [create, close] = rx.requests;
    const alert = create!.json as Alert;
    expect(alert).toMatchObject({ priority: "P5", alias: expect.stringMatching(/^perigee-test-/) });
    expect(close!.path).toBe(`/og/v2/alerts/${encodeURIComponent(alert.alias)}/close?identifierType=alias`);
  });

  it("without a base URL, the region picks the install's US or EU endpoint", async () => {
    const t = await createTenant("Opsgenie regions");
    const euCh = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "EU", type: "opsgenie", apiKey: KEY, region: "eu" } });
    const usCh = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "US", type: "opsgenie", apiKey: KEY, region: "us" } });
    expect(env().OPSGENIE_EU_API_URL).toBe(`${eu.url}/eu`);
    expect(await sendTestTo(euCh.id)).toMatchObject({ ok: true });
    expect(await sendTestTo(usCh.id)).toMatchObject({ ok: true });
    expect(eu.requests.map((r) => r.path.split("?")[0]!.replace(/perigee-test-[^/]+/, "A"))).toEqual(["/eu/v2/alerts", "/eu/v2/alerts/A/close"]);
    expect(us.requests.map((r) => r.path.split("?")[0]!.replace(/perigee-test-[^/]+/, "A"))).toEqual(["/us/v2/alerts", "/us/v2/alerts/A/close"]);
  });

  it("a 4xx (bad key, unprocessable alert) fails at once with Opsgenie's answer and without the key", async () => {
    for (const [status, body] of [
      [401, { message: "Could not authenticate", took: 0.0, requestId: "r1" }],
      [422, { message: "Request body is not processable. Please check the errors.", errors: { message: "Message can not be empty." }, took: 0.0, requestId: "r2" }],
    ] as const) {
      const { rx, ch, m } = await setup({ status, body });
      const [d] = await goDown(m.id);
      const a = await attempt(d!.id);
      const error = `Opsgenie answered HTTP ${status}: ${JSON.stringify(body)}`;
      expect(a.row).toMatchObject({ status: "failed", attempts: 1, lastError: error });
      expect(error).not.toContain(KEY);
      expect((await getChannel({ ctx: ctx!, channelId: ch.id })).lastError).toBe(error);
      expect((await attempt(d!.id)).result).toEqual({ status: "not_claimed" });
      expect(rx.requests).toHaveLength(1);
    }
  });

  it("a 429 hands Retry-After to the queue's backoff", async () => {
    const { ch } = await setup({ status: 429, body: { message: "You are making too many requests!", took: 0.0, requestId: "r3" }, retryAfter: 2 });
    const r = await sendTestTo(ch.id);
    expect(r).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 2000 } });
    if (!r.ok) expect(backoffStrategy(1, "perigee", r.error)).toBe(2000);
  });

  it("a 500 is retried and delivered once Opsgenie recovers", async () => {
    const { rx, m } = await setup({ status: 500, body: "Internal Server Error" });
    const [d] = await goDown(m.id);
    expect((await attempt(d!.id)).row).toMatchObject({ status: "pending", lastError: "Opsgenie answered HTTP 500: Internal Server Error" });
    const second = await attempt(d!.id);
    expect(second.row).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
    expect(second.log.map((l) => [l.attempt, l.status, l.httpStatus])).toEqual([
      [1, "retrying", 500],
      [2, "delivered", 202],
    ]);
    expect(rx.requests.map((q) => q.path)).toEqual(["/og/v2/alerts", "/og/v2/alerts"]);
  });
});
