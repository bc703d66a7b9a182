import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { sslAlertStep } from "../../src/server/monitors/ssl-alerts";
import { DeliveryError, postRaw } from "../../src/server/notifications/http";
import { buildMessage, formatDuration } from "../../src/server/notifications/message";
import { renderPagerDuty } from "../../src/server/notifications/providers/pagerduty";
import { renderSlack } from "../../src/server/notifications/providers/slack";
import { renderSms, sms, SMS_SEGMENT } from "../../src/server/notifications/providers/sms";
import { assertChannelTargetsAllowed } from "../../src/server/notifications/targets";
import { channelInputSchema } from "../../src/server/notifications/channel-schema";

// The install's own Twilio credentials (read lazily by env() on first use in this file).
Object.assign(process.env, { TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`, TWILIO_AUTH_TOKEN: "install-token-never-leaves", TWILIO_FROM: "+15005550006" });

const monitor = { id: "5d0f4c7e-2b7a-4f3e-8a7c-0e1d2c3b4a59", name: "Checkout API", type: "http", config: { url: "https://api.example.com/health" } };
const event = (kind: string, payload: Record<string, unknown> = {}) => ({
  id: 7,
  kind,
  incidentId: "0b6f7a0e-5c43-4b8e-9a51-6a1f0c9d2e77",
  toState: kind === "recovered" ? "UP" : "DOWN",
  payload,
  createdAt: new Date("2026-11-22T12:00:00Z"),
});

describe("message text", () => {
  it("formats durations a person reads", () => {
    expect([formatDuration(42), formatDuration(600), formatDuration(3 * 3600 + 120), formatDuration(90_061), formatDuration(null)]).toEqual(["42s", "10m", "3h 2m", "1d 1h 1m", "an unknown time"]);
  });
  it("keeps an SMS in one GSM-7 segment, cutting the cause rather than the link", () => {
    const long = buildMessage(event("down", { cause: `Expected the keyword “healthy” — ${"x".repeat(300)}` }), { ...monitor, name: "Checkout API (production, eu-west-1, primary cluster)" });
    const text = renderSms(long);
    expect(text.length).toBeLessThanOrEqual(SMS_SEGMENT);
    expect(text).toMatch(/^[\x20-\x7E]+$/);
    expect(text.endsWith(`/monitors/${monitor.id}`)).toBe(true);
    expect(text).toContain("is DOWN. Expected the keyw...");
    // Typographic quotes and dashes become their GSM-7 equivalents instead of forcing UCS-2.
    expect(renderSms(buildMessage(event("down", { cause: "Expected the keyword “healthy” — not found" }), monitor))).toContain('Expected the keyword "healthy" - not found.');
    expect(renderSms(buildMessage(event("recovered", { downtimeSeconds: 754 }), monitor))).toBe(`Perigee: Checkout API is UP again after 12m. http://localhost:3000/monitors/${monitor.id}`);
  });
  it("PagerDuty: trigger and resolve share the incident's dedup key; reminders are not sent", () => {
    const down = renderPagerDuty(buildMessage(event("down", { cause: "timeout" }), monitor), "k")!;
    const up = renderPagerDuty(buildMessage(event("recovered"), monitor), "k")!;
    expect(down).toMatchObject({
      event_action: "trigger",
      dedup_key: "perigee-incident-0b6f7a0e-5c43-4b8e-9a51-6a1f0c9d2e77",
      payload: { severity: "critical", source: "https://api.example.com/health" },
    });
    expect(up).toMatchObject({ event_action: "resolve", dedup_key: down.dedup_key });
    expect(renderPagerDuty(buildMessage(event("reminder"), monitor), "k")).toBeNull();
  });
});

describe("SSL expiry thresholds", () => {
  it("alerts once per threshold crossed, never for a skipped one, and resets after renewal", () => {
    expect(sslAlertStep(45, null)).toEqual({ alert: null, level: null });
    expect(sslAlertStep(30, null)).toEqual({ alert: 30, level: 30 });
    expect(sslAlertStep(25, 30)).toEqual({ alert: null, level: 30 });
    expect(sslAlertStep(10, null)).toEqual({ alert: 14, level: 14 });
    expect(sslAlertStep(6, 14)).toEqual({ alert: 7, level: 7 });
    expect(sslAlertStep(-2, 7)).toEqual({ alert: 1, level: 1 });
    expect(sslAlertStep(-5, 1)).toEqual({ alert: null, level: 1 });
    expect(sslAlertStep(89, 1)).toEqual({ alert: null, level: null });
  });
});

describe("SSRF guard on notification URLs (ALLOW_PRIVATE_TARGETS=false)", () => {
  it("refuses private and metadata webhook URLs and base URLs at create time", () => {
    for (const input of [
      { name: "h", type: "webhook", url: "http://169.254.169.254/latest/meta-data" },
      { name: "h", type: "slack", url: "http://10.0.0.5/hook" },
      { name: "h", type: "pagerduty", routingKey: "R0UT1NGKEY0123456789abcdefghijkl", baseUrl: "http://[::1]:8080" },
      { name: "h", type: "telegram", botToken: "123456789:AAE_test-token-0123456789abcdefghij", chatId: "1", baseUrl: "http://2130706433/" },
    ]) {
      const d = channelInputSchema.parse(input);
      expect(() => assertChannelTargetsAllowed(d), JSON.stringify(input)).toThrow();
    }
    expect(() => assertChannelTargetsAllowed(channelInputSchema.parse({ name: "h", type: "webhook", url: "https://hooks.example.com/x" }))).not.toThrow();
  });

  it("refuses loopback at send time without retrying, but trusts the operator's own provider URLs", async () => {
    const server = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
        const err = await postRaw(url, "{}", {}, { guard: true }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DeliveryError);
        expect(err).toMatchObject({ retryable: false, message: expect.stringMatching(/SSRF guard/) });
      }
      await expect(postRaw(`http://127.0.0.1:${port}/`, "{}", {}, { guard: false })).resolves.toMatchObject({ status: 200, body: "ok" });
    } finally {
      server.close();
    }
  });
});

describe("SMS (Twilio) with a channel's own base URL", () => {
  const channelWith = (config: Record<string, unknown>) => ({ id: "c1", name: "sms", type: "sms" as const, config: { to: "+14155550123", ...config } });
  const message = buildMessage(event("down", { cause: "timeout" }), monitor);

  it("refuses at create time a custom base URL without the channel's own credentials", () => {
    const r = channelInputSchema.safeParse({ name: "s", type: "sms", to: "+14155550123", baseUrl: "https://sms-gateway.example.com" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ["baseUrl"], message: expect.stringMatching(/own account SID and auth token/) });
    expect(
      channelInputSchema.safeParse({ name: "s", type: "sms", to: "+14155550123", accountSid: `AC${"1".repeat(32)}`, authToken: "own-token-123", baseUrl: "https://sms-gateway.example.com" }).success,
    ).toBe(true);
  });

  it("never sends the install's credentials to a channel's URL, and guards that URL against SSRF at send time", async () => {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ sid: "SM1", status: "queued" }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://localhost:${(server.address() as AddressInfo).port}`;
    try {
      // A stored channel from before the create-time rule: refused, nothing sent.
      const noCreds = await sms.send({ channel: channelWith({ baseUrl: base }), secrets: {}, message, deliveryId: "d1" }).catch((e: unknown) => e);
      expect(noCreds).toMatchObject({ retryable: false, message: expect.stringMatching(/own account SID and auth token/) });
      // Own credentials, but the host name resolves to loopback: blocked when connecting.
      const blocked = await sms
        .send({ channel: channelWith({ baseUrl: base, accountSid: `AC${"1".repeat(32)}`, from: "+15005550006" }), secrets: { authToken: "own-token-123" }, message, deliveryId: "d2" })
        .catch((e: unknown) => e);
      expect(blocked).toBeInstanceOf(DeliveryError);
      expect(blocked).toMatchObject({ retryable: false, message: expect.stringMatching(/^Twilio: Blocked by the SSRF guard/) });
      expect(seen).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe("Slack text", () => {
  it("escapes names, causes and targets so they cannot mention a channel or fake a link", () => {
    const evil = { ...monitor, name: "<!channel> Checkout & Co", config: { url: "https://api.example.com/health?a=1&b=<x>" } };
    const msg = renderSlack(buildMessage(event("down", { cause: "Body said <https://evil.example|click here> <@U123>" }), evil));
    // Everything Slack parses as mrkdwn (the header is plain_text: shown as typed, never parsed).
    const all = JSON.stringify({ text: msg.text, blocks: msg.blocks.filter((b) => b.type !== "header") });
    expect(all).not.toMatch(/<!channel>|<https:\/\/evil|<@U123>/);
    const fields = msg.blocks.find((b) => "fields" in b && b.fields)!.fields!.map((f) => f.text);
    expect(fields).toContain("*Monitor*\n&lt;!channel&gt; Checkout &amp; Co");
    expect(fields.find((f) => f.startsWith("*Cause*"))).toBe("*Cause*\nBody said &lt;https://evil.example|click here&gt; &lt;@U123&gt;");
    expect(msg.text).toContain("&lt;!channel&gt; Checkout &amp; Co");
  });
});
