// Microsoft Teams through the real delivery path against a loopback receiver answering as a
// Teams workflow does: the Adaptive Card, escaping, and how refusals and rate limits are handled.
import { afterAll, describe, expect, it } from "vitest";
import { backoffStrategy } from "../../src/server/notifications/queue";
import { createChannel } from "../../src/server/services/channels/create";
import { getChannel } from "../../src/server/services/channels/get";
import type { Ctx } from "../../src/server/context";
import { attempt, goDown, monitorOn, recover, sendTestTo } from "../helpers/channel-delivery";
import { createTenant } from "../helpers/factories";
import { startReceiver, type Answer, type Receiver } from "../helpers/receiver";

const SIG = "teams-sig-0123456789abcdef";
const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

type Block = { type: string; text?: string; color?: string; weight?: string; facts?: { title: string; value: string }[] };
type Card = { type: string; version: string; body: Block[]; actions: { type: string; title: string; url: string }[] };
type Body = { type: string; attachments: { contentType: string; content: Card }[] };
const cardOf = (json: unknown) => (json as Body).attachments[0]!.content;
const factsOf = (c: Card) => Object.fromEntries(c.body.find((b) => b.type === "FactSet")!.facts!.map((f) => [f.title, f.value]));

let ctx: Ctx | undefined;
async function setup(first?: Answer, monitorName = "Checkout API") {
  ctx ??= (await createTenant("Teams")).ctx.ADMIN;
  const rx = await startReceiver({ status: 202, body: "" });
  receivers.push(rx);
  if (first) rx.script(first);
  const ch = await createChannel({ ctx, input: { name: "Ops Teams", type: "teams", url: `${rx.url}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${SIG}` } });
  const m = await monitorOn(ctx.org.id, [ch.id], monitorName);
  return { rx, ch, m };
}

describe("teams", () => {
  it("stores the webhook URL sealed and answers it masked", async () => {
    const { ch } = await setup();
    expect(ch).toMatchObject({ type: "teams", url: "••••••" });
    expect(JSON.stringify(await getChannel({ ctx: ctx!, channelId: ch.id }))).not.toContain(SIG);
  });

  it("posts a message with one Adaptive Card 1.4: title, summary, facts and an Open link; 202 is delivered", async () => {
    const { rx, m } = await setup();
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    expect(a.row).toMatchObject({ status: "delivered", attempts: 1 });
    expect(a.log.map((l) => [l.status, l.httpStatus])).toEqual([["delivered", 202]]);
    const hit = rx.requests[0]!;
    expect(hit.path).toContain(`sig=${SIG}`);
    expect(hit.headers["content-type"]).toBe("application/json");
    const body = hit.json as Body;
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const card = cardOf(body);
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(card.body[0]).toMatchObject({ type: "TextBlock", text: "🔴 Checkout API is DOWN", weight: "Bolder", color: "Attention" });
    expect(card.body[1]).toMatchObject({ type: "TextBlock", text: "Expected status 200-299, got 503." });
    expect(factsOf(card)).toMatchObject({ Monitor: "Checkout API", State: "DOWN", Cause: "Expected status 200-299, got 503", Target: "http://127.0.0.1:9/" });
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Perigee", url: expect.stringContaining(`/monitors/${m.id}`) }]);

    const [r] = await recover(m.id);
    expect((await attempt(r!.id)).row.status).toBe("delivered");
    const back = cardOf(rx.requests[1]!.json);
    expect(back.body[0]).toMatchObject({ text: "🟢 Checkout API is back UP", color: "Good" });
    expect(factsOf(back).Downtime).toMatch(/^\d+[smhd]/);
  });

  it("escapes Adaptive Card markdown in names and causes", async () => {
    const { rx, m } = await setup(undefined, "**Pay** [click](https://evil.example) _x_");
    const [d] = await goDown(m.id, "- list\n# heading\n1. item `code`");
    await attempt(d!.id);
    const card = cardOf(rx.requests[0]!.json);
    const name = "\\*\\*Pay\\*\\* \\[click\\]\\(https://evil.example\\) \\_x\\_";
    expect(factsOf(card).Monitor).toBe(name);
    expect(card.body[0]!.text).toBe(`🔴 ${name} is DOWN`);
    expect(factsOf(card).Cause).toBe("\\- list\n\\# heading\n1\\. item \\`code\\`");
  });

  it("a 4xx fails at once with Teams' answer and without the URL's signature", async () => {
    const { rx, ch, m } = await setup({
      status: 400,
      body: { error: { code: "TriggerInputSchemaMismatch", message: "The input body for trigger 'manual' of type 'Request' did not match its schema" } },
    });
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    expect(a.row).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringMatching(/^Microsoft Teams answered HTTP 400: .*TriggerInputSchemaMismatch/) });
    expect(a.row.lastError).not.toContain(SIG);
    expect((await getChannel({ ctx: ctx!, channelId: ch.id })).lastError).toBe(a.row.lastError);
    expect((await attempt(d!.id)).result).toEqual({ status: "not_claimed" });
    expect(rx.requests).toHaveLength(1);
  });

  it("a 429 hands Retry-After to the queue's backoff", async () => {
    const { ch } = await setup({ status: 429, body: { error: { code: "WorkflowTriggeredTooFrequently", message: "Rate limit is exceeded" } }, retryAfter: 2 });
    const r = await sendTestTo(ch.id);
    expect(r).toMatchObject({ ok: false, error: { retryable: true, httpStatus: 429, retryAfterMs: 2000 } });
    if (!r.ok) expect(backoffStrategy(1, "perigee", r.error)).toBe(2000);
  });

  it("a 500 is retried and delivered once Teams recovers", async () => {
    const { rx, m } = await setup({ status: 500, body: "Internal Server Error" });
    const [d] = await goDown(m.id);
    expect((await attempt(d!.id)).row).toMatchObject({ status: "pending", lastError: "Microsoft Teams answered HTTP 500: Internal Server Error" });
    const second = await attempt(d!.id);
    expect(second.row).toMatchObject({ status: "delivered", attempts: 2, lastError: null });
    expect(second.log.map((l) => [l.attempt, l.status, l.httpStatus])).toEqual([
      [1, "retrying", 500],
      [2, "delivered", 202],
    ]);
    expect(rx.requests).toHaveLength(2);
  });
});
