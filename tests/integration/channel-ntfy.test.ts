// ntfy through the real delivery path against a loopback receiver answering as an ntfy server
// does: the JSON publish (topic, title, priority by kind, tags, click), the access token, and
// how refusals and rate limits are handled.
import { afterAll, describe, expect, it } from "vitest";
import { backoffStrategy } from "../../src/server/notifications/queue";
import { createChannel } from "../../src/server/services/channels/create";
import { getChannel } from "../../src/server/services/channels/get";
import { updateChannel } from "../../src/server/services/channels/update";
import type { Ctx } from "../../src/server/context";
import { attempt, goDown, monitorOn, recover, sendTestTo } from "../helpers/channel-delivery";
import { createTenant } from "../helpers/factories";
import { startReceiver, type Answer, type Receiver } from "../helpers/receiver";

const TOPIC = "perigee-alerts-7f3k2q";
const TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
const PUBLISHED: Answer = { status: 200, body: { id: "sPs71M8A2T", time: 1764590000, event: "message", topic: TOPIC, message: "…" } };
const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

type Publish = { topic: string; title: string; message: string; priority: number; tags: string[]; click: string; actions: { action: string; label: string; url: string }[] };

let ctx: Ctx | undefined;
async function setup(first?: Answer, input: Record<string, unknown> = {}, monitorName = "Checkout API") {
  ctx ??= (await createTenant("ntfy")).ctx.ADMIN;
  const rx = await startReceiver(PUBLISHED);
  receivers.push(rx);
  if (first) rx.script(first);
  const ch = await createChannel({ ctx, input: { name: "Phone", type: "ntfy", url: `${rx.url}/ntfy/${TOPIC}`, ...input } });
  const m = await monitorOn(ctx.org.id, [ch.id], monitorName);
  return { rx, ch, m };
}

describe("ntfy", () => {
  it("stores the topic URL and token sealed (the topic is the password) and answers them masked", async () => {
    const { ch } = await setup(undefined, { token: TOKEN, priority: "4" });
    expect(ch).toMatchObject({ type: "ntfy", url: "••••••", token: "••••••", priority: 4 });
    const seen = JSON.stringify(await getChannel({ ctx: ctx!, channelId: ch.id }));
    expect(seen).not.toContain(TOPIC);
    expect(seen).not.toContain(TOKEN);
    await expect(createChannel({ ctx: ctx!, input: { name: "x", type: "ntfy", url: "https://ntfy.sh/" } })).rejects.toMatchObject({
      status: 400,
      fields: { url: [expect.stringMatching(/^Topic URL is the server and topic/)] },
    });
    await expect(createChannel({ ctx: ctx!, input: { name: "x", type: "ntfy", url: "https://ntfy.sh/a", priority: 7 } })).rejects.toMatchObject({
      status: 400,
      fields: { priority: ["Priority is 1 to 5"] },
    });
  });

  it("publishes JSON at the server's root: topic, title, text, priority 5 and a siren when down, 3 and a check mark when back up", async () => {
    const { rx, m } = await setup();
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    expect(a.row).toMatchObject({ status: "delivered", attempts: 1 });
    const hit = rx.requests[0]!;
    expect(hit.method).toBe("POST");
    expect(hit.path).toBe("/ntfy/");
    expect(hit.headers.authorization).toBeUndefined();
    const p = hit.json as Publish;
    expect(p).toEqual({
      topic: TOPIC,
      title: "Checkout API is DOWN",
      message: "Expected status 200-299, got 503.\nTarget: http://127.0.0.1:9/",
      priority: 5,
      tags: ["rotating_light", "perigee"],
      click: expect.stringContaining(`/monitors/${m.id}`),
      actions: [{ action: "view", label: "Open in Perigee", url: p.click, clear: false }],
    });

    const [r] = await recover(m.id);
    expect((await attempt(r!.id)).row.status).toBe("delivered");
    const back = rx.requests[1]!.json as Publish;
    expect(back).toMatchObject({ title: "Checkout API is back UP", priority: 3, tags: ["white_check_mark", "perigee"] });
    expect(back.message).toMatch(/\nDowntime: \d+[smhd]/);
  });

  it("sends the access token as a bearer token, and a channel's own priority for problems (never above 3 for a recovery)", async () => {
    const { rx, ch, m } = await setup(undefined, { token: TOKEN, priority: 2 });
    const [d] = await goDown(m.id);
    await attempt(d!.id);
    expect(rx.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect((rx.requests[0]!.json as Publish).priority).toBe(2);
    const [r] = await recover(m.id);
    await attempt(r!.id);
    expect((rx.requests[1]!.json as Publish).priority).toBe(2);
    // Cleared: back to the priority by kind; the stored token is kept when left empty.
    await updateChannel({ ctx: ctx!, channelId: ch.id, patch: { priority: null, token: "" } });
    expect(await sendTestTo(ch.id)).toMatchObject({ ok: true, httpStatus: 200 });
    expect(rx.requests[2]!.json).toMatchObject({ priority: 3, tags: ["bell", "perigee"], title: "Test notification from Perigee" });
    expect(rx.requests[2]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("any character in a name arrives as typed (JSON, not headers), as plain text", async () => {
    const { rx, m } = await setup(undefined, {}, "Zahlung “Kasse” — 東京 **x**\r\nX-Injected: 1");
    const [d] = await goDown(m.id);
    await attempt(d!.id);
    const p = rx.requests[0]!.json as Publish;
    expect(p.title).toBe("Zahlung “Kasse” — 東京 **x**\r\nX-Injected: 1 is DOWN");
    expect(rx.requests[0]!.headers["x-injected"]).toBeUndefined();
    expect(p).not.toHaveProperty("markdown");
  });

  it("a 4xx fails at once with ntfy's own explanation", async () => {
    const { rx, ch, m } = await setup({ status: 403, body: { code: 40301, http: 403, error: "forbidden", link: "https://ntfy.sh/docs/publish/#authentication" } });
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    expect(a.row).toMatchObject({ status: "failed", attempts: 1, lastError: "ntfy answered HTTP 403: forbidden" });
    expect((await getChannel({ ctx: ctx!, channelId: ch.id })).lastError).toBe("ntfy answered HTTP 403: forbidden");
    expect((await attempt(d!.id)).result).toEqual({ status: "not_claimed" });
    expect(rx.requests).toHaveLength(1);
  });

  it("a 429 hands Retry-After to the queue's backoff", async () => {
    const { ch } = await setup({ status: 429, body: { code: 42901, http: 429, error: "limit reached: too many requests" }, retryAfter: 2 });
    const r = await sendTestTo(ch.id);
    expect(r).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 2000, message: "ntfy answered HTTP 429: limit reached: too many requests" } });
    if (!r.ok) expect(backoffStrategy(1, "perigee", r.error)).toBe(2000);
  });

  it("a 500 is retried and delivered once the server recovers", async () => {
    const { rx, m } = await setup({ status: 500, body: { code: 50001, http: 500, error: "internal server error" } });
    const [d] = await goDown(m.id);
    expect((await attempt(d!.id)).row).toMatchObject({ status: "pending", lastError: "ntfy answered HTTP 500: internal server error" });
    const second = await attempt(d!.id);
    expect(second.row).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
    expect(second.log.map((l) => [l.attempt, l.status, l.httpStatus])).toEqual([
      [1, "retrying", 500],
      [2, "delivered", 200],
    ]);
    expect(rx.requests).toHaveLength(2);
  });
});
