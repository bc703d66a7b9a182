import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as heartbeatGet } from "../../src/app/api/heartbeat/[token]/route";
import { db } from "../../src/server/db/client";
import { notificationDeliveries } from "../../src/server/db/schema";
import { CHECKS_QUEUE } from "../../src/server/jobs/catalog";
import { dispatcher } from "../../src/server/jobs/processors";
import { ResultBatcher } from "../../src/server/monitors/batcher";
import { deliver } from "../../src/server/notifications/deliver";
import { drainOutbox } from "../../src/server/notifications/outbox";
import { startTwoFactorEnrollment } from "../../src/server/services/auth/start-two-factor-enrollment";
import { api, apiTenant, type ApiAnswer } from "../helpers/api";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { until } from "../helpers/until";

// Every log line is written, so the scan sees what production would print at its most verbose.
vi.hoisted(() => {
  process.env.LOG_LEVEL = "debug";
});

const run = promisify(execFile);

const HEADER_TOKEN = "planted-header-token-5b1e";
const BODY_TOKEN = "planted-body-token-8c2d";
const BASIC_PASSWORD = "planted-basic-pass-3f9a";
const SLACK_TOKEN = "plantedslacktoken7e4b";
const TWILIO_SID = "AC5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed";
const TWILIO_TOKEN = "planted-twilio-token-0d6c";
const TELEGRAM_TOKEN = "123456789:planted-telegram-token-a1b2";

/**
 * A whole flow with planted secrets — monitors with a header token, a body token and a basic
 * auth password; Slack, Twilio, Telegram and webhook channels; an API key; a TOTP enrollment; a
 * heartbeat URL — run through the REST API, the check and notification processors (checks
 * against a loopback target, alerts to loopback receivers) and a heartbeat ping. Then the log
 * output, every API answer and a pg_dump of the database are searched for each secret in plain
 * text. A secret may appear only in the answers that hand it to its owner (the webhook's
 * signing secret on create, the heartbeat URL to write keys).
 */
describe("planted secrets", () => {
  let target: Receiver;
  const logs: string[] = [];
  const answers: { what: string; a: ApiAnswer; writeKey: boolean }[] = [];
  let tgCalls = 0;
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    const capture = (chunk: unknown) => {
      logs.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    target = await startReceiver((r) => {
      if (r.path.startsWith("/down")) return { status: 500, body: "broken" };
      if (r.path.startsWith("/twilio/")) return { status: 201, body: { sid: "SM0123", status: "queued" } };
      // Telegram refuses the first message: the error path (stored, logged) must not carry the token in its URL either.
      if (r.path.startsWith("/tg/"))
        return tgCalls++ === 0 ? { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } } : { status: 200, body: { ok: true, result: { message_id: 1 } } };
      return { status: 200, body: { ok: true } };
    });
  });
  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await target.close();
  });

  it("appear in no log line, no API answer and no database dump", async () => {
    const t = await apiTenant("Planted");
    const apiKey = (await t.key()).key;
    const readKey = (await t.key(["monitors:read", "channels:read", "events:read"])).key;
    const call = async (what: string, method: string, path: string, opts: { key?: string; body?: unknown } = {}) => {
      const a = await api(method, path, { key: opts.key ?? apiKey, body: opts.body });
      answers.push({ what, a, writeKey: (opts.key ?? apiKey) === apiKey });
      return a;
    };

    // Channels.
    const webhook = await call("create webhook", "POST", "/api/v1/channels", { body: { name: "Hook", type: "webhook", url: `${target.url}/hook` } });
    expect(webhook.status, webhook.text).toBe(201);
    const signingSecret = (webhook.body as { signingSecret: string }).signingSecret;
    const channels = [(webhook.body as { id: string }).id];
    for (const body of [
      { name: "Slack", type: "slack", url: `${target.url}/services/T000/B000/${SLACK_TOKEN}` },
      { name: "SMS", type: "sms", to: "+14155550123", from: "+14155550100", accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, baseUrl: `${target.url}/twilio` },
      { name: "Telegram", type: "telegram", botToken: TELEGRAM_TOKEN, chatId: "-1001234567890", baseUrl: `${target.url}/tg` },
    ]) {
      const c = await call(`create ${body.type}`, "POST", "/api/v1/channels", { body });
      expect(c.status, c.text).toBe(201);
      channels.push((c.body as { id: string }).id);
    }

    // Monitors: one healthy with every kind of credential, one failing (alerts every channel), one heartbeat.
    const common = { type: "http", intervalSeconds: 60, confirmations: 1, regions: ["default"], channelIds: channels };
    const secretive = await call("create http", "POST", "/api/v1/monitors", {
      body: {
        ...common,
        name: "Login",
        url: `${target.url}/login`,
        method: "POST",
        headers: { "X-Api-Token": HEADER_TOKEN },
        body: `{"token":"${BODY_TOKEN}"}`,
        authType: "basic",
        authUsername: "svc",
        authPassword: BASIC_PASSWORD,
      },
    });
    expect(secretive.status, secretive.text).toBe(201);
    const failing = await call("create failing", "POST", "/api/v1/monitors", {
      body: { ...common, name: "Orders", url: `${target.url}/down`, method: "POST", headers: { Authorization: `Bearer ${HEADER_TOKEN}` }, body: BODY_TOKEN },
    });
    expect(failing.status, failing.text).toBe(201);
    const heartbeat = await call("create heartbeat", "POST", "/api/v1/monitors", { body: { name: "Nightly", type: "heartbeat", intervalSeconds: 3600 } });
    expect(heartbeat.status, heartbeat.text).toBe(201);
    const heartbeatToken = (heartbeat.body as { heartbeatUrl: string }).heartbeatUrl.split("/").pop()!;
    const ids = [secretive, failing].map((a) => (a.body as { id: string }).id);

    // An edit that sends the masks back keeps the secrets.
    const edited = await call("edit http", "PATCH", `/api/v1/monitors/${ids[0]}`, { body: { name: "Login API", headers: { "X-Api-Token": "••••••" }, body: "••••••", authPassword: "••••••" } });
    expect(edited.status, edited.text).toBe(200);

    const totp = await startTwoFactorEnrollment({ userId: t.admin.id });

    // The worker's check processor, twice per monitor, then the alerts through the notification processor.
    const batcher = new ResultBatcher({ maxSize: 500, maxWaitMs: 10 });
    const checks = dispatcher(CHECKS_QUEUE, { batcher });
    for (const id of ids) {
      for (const ago of [120_000, 60_000]) {
        await checks({ name: "check", data: { monitorId: id, version: 2, region: "default" }, opts: {}, timestamp: Date.now() - ago, attemptsMade: 0 });
      }
    }
    await batcher.flush();
    expect(target.requests.filter((r) => r.path === "/login")[0]).toMatchObject({ method: "POST", body: `{"token":"${BODY_TOKEN}"}`, headers: { "x-api-token": HEADER_TOKEN } });
    // Another file's worker may be draining the same outbox: wait for whoever has it.
    const deliveries = await until(async () => {
      await drainOutbox();
      const rows = await db()
        .select()
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.organizationId, t.org.id), inArray(notificationDeliveries.channelId, channels)));
      return rows.length >= 4 && rows;
    });
    for (const d of deliveries) await deliver(d.id);
    expect(target.requests.some((r) => r.path.includes(`/bot${TELEGRAM_TOKEN}/`))).toBe(true);
    expect(target.requests.some((r) => r.path.includes(`/Accounts/${TWILIO_SID}/`))).toBe(true);

    const ping = await heartbeatGet(new Request(`http://localhost:3000/api/heartbeat/${heartbeatToken}`, { headers: { "x-perigee-client-ip": "198.51.100.7" } }), {
      params: Promise.resolve({ token: heartbeatToken }),
    });
    expect(ping.status).toBe(200);

    // Everything a reader can fetch.
    await call("list monitors", "GET", "/api/v1/monitors", { key: readKey });
    for (const id of [...ids, (heartbeat.body as { id: string }).id]) await call(`get monitor ${id}`, "GET", `/api/v1/monitors/${id}`, { key: readKey });
    await call("list channels", "GET", "/api/v1/channels", { key: readKey });
    for (const id of channels) await call(`get channel ${id}`, "GET", `/api/v1/channels/${id}`, { key: readKey });
    await call("list events", "GET", "/api/v1/events", { key: readKey });
    await call("monitors with the write key", "GET", "/api/v1/monitors", { key: apiKey });
    // A mistyped key is logged as unknown: without the key.
    expect((await call("mistyped key", "GET", "/api/v1/monitors", { key: `${apiKey}x` })).status).toBe(401);

    const dump = (await run("pg_dump", ["--data-only", "--no-owner", process.env.DATABASE_URL!], { maxBuffer: 256 * 1024 * 1024 })).stdout;
    expect(dump).toContain(t.org.id);
    const logText = logs.join("");
    expect(logText).toContain("API request with an unknown key");

    // Where a secret is handed to its owner by design: the signing secret once, on create; the
    // heartbeat URL to keys that may change the monitor (docs/api.md), never to read-only ones.
    const secrets: { name: string; value: string; issuedTo?: (x: (typeof answers)[number]) => boolean }[] = [
      { name: "header token", value: HEADER_TOKEN },
      { name: "body token", value: BODY_TOKEN },
      { name: "basic auth password", value: BASIC_PASSWORD },
      { name: "basic auth header", value: Buffer.from(`svc:${BASIC_PASSWORD}`).toString("base64") },
      { name: "Slack URL token", value: SLACK_TOKEN },
      { name: "Twilio account SID", value: TWILIO_SID },
      { name: "Twilio auth token", value: TWILIO_TOKEN },
      { name: "Telegram bot token", value: TELEGRAM_TOKEN },
      { name: "webhook signing secret", value: signingSecret.replace(/^whsec_/, ""), issuedTo: (x) => x.what === "create webhook" },
      { name: "API key", value: apiKey },
      { name: "TOTP secret", value: totp.secret },
      { name: "heartbeat token", value: heartbeatToken, issuedTo: (x) => x.writeKey },
    ];
    const found: string[] = [];
    for (const s of secrets) {
      if (logText.includes(s.value)) found.push(`${s.name} in the log`);
      if (dump.includes(s.value)) found.push(`${s.name} in pg_dump`);
      for (const x of answers) if (!s.issuedTo?.(x) && x.a.text.includes(s.value)) found.push(`${s.name} in the answer to "${x.what}"`);
    }
    expect(found).toEqual([]);
  });
});
