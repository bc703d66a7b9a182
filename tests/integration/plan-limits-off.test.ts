// Billing off (the default, no STRIPE_SECRET_KEY): every organization is on "self-hosted" —
// no plan limit, only the operator's org:limits overrides — and nothing calls Stripe.
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { monitorEvents, monitors, notificationDeliveries, organizations, smsUsage } from "../../src/server/db/schema";
import { billingEnabled } from "../../src/server/billing/effective";
import { regionId } from "../../src/server/monitors/regions";
import { deliver } from "../../src/server/notifications/deliver";
import { createChannel } from "../../src/server/services/channels/create";
import { inviteMember } from "../../src/server/services/organizations/invite-member";
import { api, apiTenant } from "../helpers/api";
import { uniqueEmail } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startSmtp, type Smtp } from "../helpers/smtp";
import { startStripeStub, type StripeStub } from "../helpers/stripe-stub";

let stripe: StripeStub;
let smtp: Smtp;
let twilio: Receiver;
beforeAll(async () => {
  stripe = await startStripeStub();
  smtp = await startSmtp();
  twilio = await startReceiver({ status: 201, body: { sid: "SM0123456789abcdef0123456789abcdef", status: "queued" } });
  // Before env() is first read in this file's worker: Stripe's URL is the stub, but no key.
  process.env.STRIPE_API_URL = stripe.url;
  delete process.env.STRIPE_SECRET_KEY;
  process.env.SMTP_URL = smtp.url;
});
afterAll(async () => {
  await stripe.close();
  await smtp.close();
  await twilio.close();
});

const tcp = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, paused: true, ...extra });

describe("billing off", () => {
  it("the free plan's limits do not apply (monitors, interval, regions, pages, members, SMS, API rate) and Stripe is never called", async () => {
    expect(billingEnabled()).toBe(false);
    const regions = [`off-a-${randomUUID().slice(0, 6)}`, `off-b-${randomUUID().slice(0, 6)}`, `off-c-${randomUUID().slice(0, 6)}`];
    for (const r of regions) await regionId(r);
    const t = await apiTenant("Self Hosted");
    const key = (await t.key()).key;
    for (let i = 0; i < 12; i++) await insertMonitor(t.org.id, { name: `m${i}` });
    const m = await api("POST", "/api/v1/monitors", { key, body: tcp("thirteenth", { intervalSeconds: 30, regions }) });
    expect(m.status).toBe(201);
    expect(m.headers.get("ratelimit-limit")).toBe("600");
    for (let i = 0; i < 3; i++) expect((await api("POST", "/api/v1/status-pages", { key, body: { name: `Page ${i}`, slug: `off-${randomUUID().slice(0, 8)}` } })).status).toBe(201);
    // createTenant made three members: two more invitations are beyond free's 2, and fine here.
    for (let i = 0; i < 2; i++) await inviteMember({ ctx: t.ctx.ADMIN, input: { email: uniqueEmail("off"), role: "VIEWER" } });

    // SMS: no credits to run out of; each SMS sent is still counted.
    const ch = await createChannel({
      ctx: t.ctx.ADMIN,
      input: {
        name: "SMS",
        type: "sms",
        to: "+14155550123",
        accountSid: "AC0123456789abcdef0123456789abcdef",
        authToken: "twilio-auth-token-secret",
        from: "+14155550100",
        baseUrl: `${twilio.url}/twilio`,
      },
    });
    const [e] = await db()
      .insert(monitorEvents)
      .values({ organizationId: t.org.id, monitorId: (m.body as { id: string }).id, kind: "down", toState: "DOWN", processedAt: new Date() })
      .returning();
    const [d] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: e!.id, channelId: ch.id }).returning();
    expect(await deliver(d!.id)).toMatchObject({ status: "delivered" });
    const [usage] = await db()
      .select()
      .from(smsUsage)
      .where(and(eq(smsUsage.organizationId, t.org.id)));
    expect(usage).toMatchObject({ sent: 1, skipped: 0 });

    expect(stripe.requests).toEqual([]);
  });

  it("the operator's org:limits still apply, refused with 402 and pointing to the operator", async () => {
    const t = await apiTenant("Overridden");
    const key = (await t.key()).key;
    await db().update(organizations).set({ maxMonitors: 1, minIntervalSeconds: 120 }).where(eq(organizations.id, t.org.id));
    const slow = await api("POST", "/api/v1/monitors", { key, body: tcp("fast", { intervalSeconds: 60 }) });
    expect(slow.status).toBe(402);
    expect((slow.body as { error: { message: string; limit: unknown } }).error).toMatchObject({
      message: "Overridden's operator allows checks every 120 seconds at the shortest (asked for 60 seconds). Ask your operator to raise it.",
      limit: { name: "minIntervalSeconds", plan: "self-hosted", allowed: 120, requested: 60, upgradePlan: null },
    });
    expect((await api("POST", "/api/v1/monitors", { key, body: tcp("one", { intervalSeconds: 120 }) })).status).toBe(201);
    const over = await api("POST", "/api/v1/monitors", { key, body: tcp("two", { intervalSeconds: 120 }) });
    expect(over.status).toBe(402);
    expect((over.body as { error: { message: string } }).error.message).toBe("Overridden's operator allows 1 monitor (it has 1). Ask your operator to raise it.");
    expect(await db().select().from(monitors).where(eq(monitors.organizationId, t.org.id))).toHaveLength(1);
    expect(stripe.requests).toEqual([]);
  });
});
