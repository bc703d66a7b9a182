import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel } from "../../src/server/services/channels/create";
import { sendChannelTest, TEST_SEND_PER_CHANNEL } from "../../src/server/services/channels/send-test";
import { createTenant } from "../helpers/factories";
import { startReceiver, type Receiver } from "../helpers/receiver";

/**
 * Test sends: PagerDuty's is resolved again at once, they are rate limited, and a mail server
 * that accepts the connection but never answers fails the send within the notification
 * timeout instead of hanging it for minutes.
 */
let rx: Receiver;
let stalled: net.Server;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  rx = await startReceiver({ status: 202, body: { status: "success", message: "Event processed", dedup_key: "x" } });
  // Accepts SMTP connections and never sends the greeting.
  stalled = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => stalled.listen(0, "127.0.0.1", r));
  // Read by env() on first use in this file's worker.
  process.env.SMTP_URL = `smtp://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
  process.env.NOTIFY_TIMEOUT_MS = "1000";
});
afterAll(async () => {
  await rx.close();
  for (const s of sockets) s.destroy();
  await new Promise((r) => stalled.close(r));
});

const ROUTING = "R0UT1NGKEY0123456789abcdefghijkl";

describe("send test notification", () => {
  it("PagerDuty: the test incident is triggered and resolved with the same dedup key", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "PD", type: "pagerduty", routingKey: ROUTING, baseUrl: rx.url } });
    rx.requests.length = 0;
    const r = await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: ch.id });
    expect(r).toMatchObject({ ok: true, httpStatus: 202, response: expect.stringMatching(/test incident resolved again/) });
    const [trigger, resolve] = rx.requests.map((q) => q.json as { event_action: string; dedup_key: string; routing_key: string });
    expect(rx.requests.map((q) => q.path)).toEqual(["/v2/enqueue", "/v2/enqueue"]);
    expect(trigger).toMatchObject({ event_action: "trigger", routing_key: ROUTING });
    expect(resolve).toMatchObject({ event_action: "resolve", dedup_key: trigger!.dedup_key, routing_key: ROUTING });
  });

  it("is limited per channel, with a clear message and nothing sent past the limit", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/hook` } });
    rx.requests.length = 0;
    for (let i = 0; i < TEST_SEND_PER_CHANNEL.limit; i++) expect((await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: ch.id })).ok).toBe(true);
    await expect(sendChannelTest({ ctx: t.ctx.EDITOR, channelId: ch.id })).rejects.toMatchObject({
      status: 429,
      message: expect.stringMatching(/Too many test sends on this channel\. Try again in \d+ minutes/),
    });
    expect(rx.requests).toHaveLength(TEST_SEND_PER_CHANNEL.limit);
    // Another channel of the same organization still works.
    const other = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook 2", type: "webhook", url: `${rx.url}/hook2` } });
    expect((await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: other.id })).ok).toBe(true);
  });

  it("email: a mail server that never greets fails the send within the timeout", async () => {
    const t = await createTenant();
    const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Mail", type: "email", to: "ops@example.test" } });
    const started = Date.now();
    const r = await sendChannelTest({ ctx: t.ctx.EDITOR, channelId: ch.id });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/greeting|timeout|timed out/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
