// Discord through the real delivery path against a loopback receiver answering as Discord does:
// the embed, escaping and mention suppression, and how refusals and rate limits are handled.
import { afterAll, describe, expect, it } from "vitest";
import { backoffStrategy } from "../../src/server/notifications/queue";
import { createChannel } from "../../src/server/services/channels/create";
import { getChannel } from "../../src/server/services/channels/get";
import type { Ctx } from "../../src/server/context";
import { attempt, goDown, monitorOn, recover, sendTestTo } from "../helpers/channel-delivery";
import { createTenant } from "../helpers/factories";
import { startReceiver, type Answer, type Receiver } from "../helpers/receiver";

const TOKEN = "discord-webhook-token-0123456789";
const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

type Embed = { title: string; description: string; url: string; color: number; timestamp: string; fields: { name: string; value: string; inline?: boolean }[]; footer: { text: string } };
type Body = { username: string; allowed_mentions: { parse: string[] }; embeds: Embed[]; content?: string };

let ctx: Ctx | undefined;
async function setup(first?: Answer, monitorName = "Checkout API") {
  ctx ??= (await createTenant("Discord")).ctx.ADMIN;
  const rx = await startReceiver({ status: 204, body: "" });
  receivers.push(rx);
  if (first) rx.script(first);
  const ch = await createChannel({ ctx, input: { name: "Ops Discord", type: "discord", url: `${rx.url}/api/webhooks/123456789012345678/${TOKEN}` } });
  const m = await monitorOn(ctx.org.id, [ch.id], monitorName);
  return { rx, ch, m };
}

describe("discord", () => {
  it("stores the webhook URL sealed and answers it masked", async () => {
    const { ch } = await setup();
    expect(ch).toMatchObject({ type: "discord", url: "••••••" });
    expect(JSON.stringify(await getChannel({ ctx: ctx!, channelId: ch.id }))).not.toContain(TOKEN);
  });

  it("posts one embed coloured by kind, with the facts as fields and a link back; the recovery is green", async () => {
    const { rx, ch, m } = await setup();
    const [d] = await goDown(m.id);
    expect((await attempt(d!.id)).row).toMatchObject({ status: "delivered", attempts: 1 });
    const hit = rx.requests[0]!;
    expect(hit.method).toBe("POST");
    expect(hit.path).toBe(`/api/webhooks/123456789012345678/${TOKEN}`);
    const body = hit.json as Body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBeUndefined();
    expect(body.embeds).toHaveLength(1);
    const e = body.embeds[0]!;
    expect(e).toMatchObject({
      title: "🔴 Checkout API is DOWN",
      description: "Expected status 200\\-299, got 503.",
      color: 0xd92d20,
      url: expect.stringContaining(`/monitors/${m.id}`),
      footer: { text: "Perigee" },
    });
    expect(Date.parse(e.timestamp)).not.toBeNaN();
    expect(e.fields).toEqual([
      { name: "Monitor", value: "Checkout API", inline: true },
      { name: "State", value: "DOWN", inline: true },
      { name: "Cause", value: "Expected status 200\\-299, got 503" },
      { name: "Target", value: "`http://127.0.0.1:9/`" },
    ]);

    const [r] = await recover(m.id);
    expect((await attempt(r!.id)).row.status).toBe("delivered");
    const back = (rx.requests[1]!.json as Body).embeds[0]!;
    expect(back).toMatchObject({ title: "🟢 Checkout API is back UP", color: 0x12b76a });
    expect(back.fields).toContainEqual({ name: "Downtime", value: expect.stringMatching(/^\d+[smhd]/), inline: true });
    expect((await getChannel({ ctx: ctx!, channelId: ch.id })).lastDeliveredAt).not.toBeNull();
  });

  it("escapes markdown and defuses mentions in names and causes", async () => {
    const { rx, m } = await setup(undefined, "**Pay** @everyone <@&123> [click](https://evil.example)");
    const [d] = await goDown(m.id, "Body said @here ||spoiler|| `rm` > quote");
    await attempt(d!.id);
    const e = (rx.requests[0]!.json as Body).embeds[0]!;
    const monitor = e.fields.find((f) => f.name === "Monitor")!.value;
    expect(monitor).toBe("\\*\\*Pay\\*\\* @\u200beveryone \\<@&123\\> \\[click\\]\\(https://evil.example\\)");
    expect(e.title).toBe(`🔴 ${monitor} is DOWN`);
    expect(e.fields.find((f) => f.name === "Cause")!.value).toBe("Body said @\u200bhere \\|\\|spoiler\\|\\| \\`rm\\` \\> quote");
    expect(JSON.stringify(e)).not.toMatch(/@(everyone|here)/);
  });

  it("a 4xx (unknown webhook) fails at once, with Discord's answer and without the token", async () => {
    const { rx, ch, m } = await setup({ status: 404, body: { message: "Unknown Webhook", code: 10015 } });
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    const error = 'Discord answered HTTP 404: {"message":"Unknown Webhook","code":10015}';
    expect(a.row).toMatchObject({ status: "failed", attempts: 1, lastError: error });
    expect(a.log.map((l) => [l.status, l.httpStatus, l.error])).toEqual([["failed", 404, error]]);
    expect(error).not.toContain(TOKEN);
    expect((await getChannel({ ctx: ctx!, channelId: ch.id })).lastError).toBe(error);
    expect((await attempt(d!.id)).result).toEqual({ status: "not_claimed" });
    expect(rx.requests).toHaveLength(1);
  });

  it("a 429 hands Discord's wait to the queue's backoff (the body's exact retry_after over the rounded header)", async () => {
    const { ch } = await setup({ status: 429, body: { message: "You are being rate limited.", retry_after: 1.5, global: false }, retryAfter: 2 });
    const r = await sendTestTo(ch.id);
    expect(r).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 1500 } });
    if (!r.ok) expect(backoffStrategy(1, "perigee", r.error)).toBe(1500);
    // Without a body hint the Retry-After header is used.
    const { ch: ch2 } = await setup({ status: 429, body: "slow down", retryAfter: 2 });
    const r2 = await sendTestTo(ch2.id);
    expect(r2).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 2000 } });
  });

  it("a 500 is retried and delivered once Discord recovers", async () => {
    const { rx, m } = await setup({ status: 500, body: { message: "Internal Server Error", code: 0 } });
    const [d] = await goDown(m.id);
    const first = await attempt(d!.id);
    expect(first.row).toMatchObject({ status: "pending", lastError: 'Discord answered HTTP 500: {"message":"Internal Server Error","code":0}' });
    const second = await attempt(d!.id);
    expect(second.row).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
    expect(second.log.map((l) => [l.attempt, l.status, l.httpStatus])).toEqual([
      [1, "retrying", 500],
      [2, "delivered", 204],
    ]);
    expect(rx.requests).toHaveLength(2);
  });

  it("the test send posts a blue test embed", async () => {
    const { rx, ch } = await setup();
    expect(await sendTestTo(ch.id)).toMatchObject({ ok: true, httpStatus: 204 });
    expect((rx.requests[0]!.json as Body).embeds[0]).toMatchObject({ title: "🔔 Test notification from Perigee", color: 0x1f4fd1 });
  });
});
