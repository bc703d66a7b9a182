import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { monitors, notificationChannels } from "../../src/server/db/schema";
import { openSecrets, toExecutable } from "../../src/server/monitors/config";
import { openChannelSecrets } from "../../src/server/notifications/channel-config";
import { createChannel } from "../../src/server/services/channels/create";
import { getChannel } from "../../src/server/services/channels/get";
import { updateChannel } from "../../src/server/services/channels/update";
import { createMonitor } from "../../src/server/services/monitors/create";
import { getMonitor } from "../../src/server/services/monitors/get";
import { testMonitorNow } from "../../src/server/services/monitors/test-now";
import { updateMonitor } from "../../src/server/services/monitors/update";
import { sealLegacySecrets } from "../../src/server/privacy/seal-legacy";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";

const MASK = "••••••";
const BODY = '{"token":"body-secret-7f3a9c"}';
const SID = "AC0123456789abcdef0123456789abcdef";

let t: Awaited<ReturnType<typeof createTenant>>;
let rx: Receiver;
beforeAll(async () => {
  t = await createTenant("Sealed Inc");
  rx = await startReceiver();
});
afterAll(() => rx.close());

const row = async (id: string) => (await db().select().from(monitors).where(eq(monitors.id, id)))[0]!;

describe("HTTP monitor request body", () => {
  it("is sealed at rest, masked in views, kept when the mask comes back, and still sent by the executor", async () => {
    const m = await createMonitor({ ctx: t.ctx.EDITOR, input: { name: "Login", type: "http", url: `${rx.url}/login`, method: "POST", body: BODY, intervalSeconds: 60 } });
    expect(m).toMatchObject({ method: "POST", body: MASK });
    const stored = await row(m.id);
    expect(JSON.stringify(stored.config)).not.toContain("body-secret");
    expect(stored.config).toMatchObject({ hasBody: true });
    expect(stored.secretsEnc).not.toContain("body-secret");
    expect(openSecrets(m.id, stored.secretsEnc).body).toBe(BODY);
    expect((await getMonitor({ ctx: t.ctx.VIEWER, monitorId: m.id })).body).toBe(MASK);

    // The form sends the mask back (or nothing): the stored body stays.
    await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { name: "Login API", body: MASK } });
    await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { intervalSeconds: 120 } });
    expect((toExecutable(await row(m.id)) as { body?: string }).body).toBe(BODY);

    const result = await testMonitorNow({ ctx: t.ctx.EDITOR, monitorId: m.id, input: {} });
    expect(result.outcome).toBe("up");
    expect(rx.requests.at(-1)).toMatchObject({ method: "POST", path: "/login", body: BODY });

    // A new body replaces it; switching to GET drops it.
    await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { body: "other" } });
    expect(openSecrets(m.id, (await row(m.id)).secretsEnc).body).toBe("other");
    const get = await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: m.id, patch: { method: "GET", body: undefined } });
    expect(get.body).toBeUndefined();
    expect(openSecrets(m.id, (await row(m.id)).secretsEnc).body).toBeUndefined();
  });

  it("a body saved in plain config before sealing is masked, still sent, and sealed at the next save", async () => {
    const legacy = await insertMonitor(t.org.id, { config: { url: `${rx.url}/legacy`, method: "POST", body: BODY, authType: "none", headerNames: [], expectedStatus: [{ from: 200, to: 299 }] } });
    expect((await getMonitor({ ctx: t.ctx.VIEWER, monitorId: legacy.id })).body).toBe(MASK);
    expect((toExecutable(legacy) as { body?: string }).body).toBe(BODY);
    await updateMonitor({ ctx: t.ctx.EDITOR, monitorId: legacy.id, patch: { name: "Legacy" } });
    const stored = await row(legacy.id);
    expect(JSON.stringify(stored.config)).not.toContain("body-secret");
    expect(openSecrets(legacy.id, stored.secretsEnc).body).toBe(BODY);
  });
});

describe("values saved in plain config before they were sealed", () => {
  it("are sealed by the daily pass without changing what the check sends or the channel uses", async () => {
    const legacy = await insertMonitor(t.org.id, { config: { url: `${rx.url}/legacy`, method: "POST", body: BODY, authType: "none", headerNames: [], expectedStatus: [{ from: 200, to: 299 }] } });
    const c = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "Old SMS", type: "sms", to: "+14155550123", authToken: "twilio-token-123" } });
    const [ch] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, c.id));
    await db()
      .update(notificationChannels)
      .set({ config: { ...ch!.config, accountSid: SID } })
      .where(eq(notificationChannels.id, c.id));

    expect(await sealLegacySecrets()).toBeGreaterThanOrEqual(2);
    const m = await row(legacy.id);
    expect(JSON.stringify(m.config)).not.toContain("body-secret");
    expect((toExecutable(m) as { body?: string }).body).toBe(BODY);
    expect(m.version).toBe(legacy.version);
    const [after] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, c.id));
    expect(JSON.stringify(after!.config)).not.toContain(SID);
    expect(openChannelSecrets(after!)).toEqual({ accountSid: SID, authToken: "twilio-token-123" });
    expect((await getChannel({ ctx: t.ctx.VIEWER, channelId: c.id })).accountSid).toBe(MASK);
  });
});

describe("Twilio account SID", () => {
  it("is sealed with the auth token, masked in views and kept on update", async () => {
    const c = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "SMS", type: "sms", to: "+14155550123", accountSid: SID, authToken: "twilio-token-123", from: "+14155550100" } });
    expect(c).toMatchObject({ accountSid: MASK, authToken: MASK });
    const [stored] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, c.id));
    expect(JSON.stringify(stored!.config)).not.toContain(SID);
    expect(openChannelSecrets(stored!)).toMatchObject({ accountSid: SID, authToken: "twilio-token-123" });

    await updateChannel({ ctx: t.ctx.EDITOR, channelId: c.id, patch: { name: "On-call SMS", accountSid: MASK, authToken: MASK } });
    const [after] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, c.id));
    expect(openChannelSecrets(after!)).toMatchObject({ accountSid: SID, authToken: "twilio-token-123" });
  });

  it("a SID saved in plain config before sealing is masked in views and sealed at the next save", async () => {
    const c = await createChannel({ ctx: t.ctx.EDITOR, input: { name: "Old SMS", type: "sms", to: "+14155550123", authToken: "twilio-token-123" } });
    const [stored] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, c.id));
    await db()
      .update(notificationChannels)
      .set({ config: { ...stored!.config, accountSid: SID } })
      .where(eq(notificationChannels.id, c.id));
    expect((await getChannel({ ctx: t.ctx.VIEWER, channelId: c.id })).accountSid).toBe(MASK);
    await updateChannel({ ctx: t.ctx.EDITOR, channelId: c.id, patch: { name: "Old SMS 2" } });
    const [after] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, c.id));
    expect(JSON.stringify(after!.config)).not.toContain(SID);
    expect(openChannelSecrets(after!).accountSid).toBe(SID);
  });
});
