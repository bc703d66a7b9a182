// Plan limits with billing on: every limit refused with 402 plan_limit_reached through REST
// (monitors, interval, regions, status pages, resuming a monitor a downgrade paused) and the
// services (invitations), SMS beyond the month's credits skipped and logged, the API rate
// limit following the plan, and a comped plan raising all of it.
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { invitations, monitorEvents, monitors, notificationChannels, notificationDeliveries, notificationLog, organizations, smsUsage, statusPages } from "../../src/server/db/schema";
import { billingEnabled } from "../../src/server/billing/effective";
import { regionId } from "../../src/server/monitors/regions";
import { deliver } from "../../src/server/notifications/deliver";
import { sendTestNotification } from "../../src/server/notifications/test-send";
import { createChannel } from "../../src/server/services/channels/create";
import { inviteMember } from "../../src/server/services/organizations/invite-member";
import { acceptInvitation } from "../../src/server/services/organizations/accept-invitation";
import { acceptInvitationAsNewUser } from "../../src/server/services/organizations/accept-invitation-as-new-user";
import { PlanLimitReached } from "../../src/server/errors";
import { authenticateApiKey } from "../../src/server/services/api-keys/authenticate";
import { hashToken } from "../../src/server/lib/crypto";
import { api, apiTenant, countingQueries } from "../helpers/api";
import { addMember, createOrg, createTenant, createUser, meta, uniqueEmail } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startSmtp, type Smtp } from "../helpers/smtp";

let smtp: Smtp;
let twilio: Receiver;
beforeAll(async () => {
  smtp = await startSmtp();
  twilio = await startReceiver({ status: 201, body: { sid: "SM0123456789abcdef0123456789abcdef", status: "queued" } });
  // Before env() is first read in this file's worker: billing on, so organizations start on free.
  process.env.SMTP_URL = smtp.url;
  process.env.STRIPE_SECRET_KEY = "sk_test_plan_limits";
  process.env.APP_URL = "https://perigee.example.com";
});
afterAll(async () => {
  await smtp.close();
  await twilio.close();
});

const BILLING = "https://perigee.example.com/settings/billing";
const tcp = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, paused: true, intervalSeconds: 180, ...extra });
type Refusal = { error: { code: string; message: string; limit: Record<string, unknown> } };
const comp = (orgId: string, plan: string) => db().update(organizations).set({ planOverride: plan }).where(eq(organizations.id, orgId));

it("billing is on in this file, and a new organization is on free", () => {
  expect(billingEnabled()).toBe(true);
});

describe("monitors", () => {
  it("the 11th monitor on free is refused with 402, naming the limit, the plan and the upgrade", async () => {
    const t = await apiTenant("Acme");
    const key = (await t.key()).key;
    for (let i = 0; i < 10; i++) await insertMonitor(t.org.id, { name: `m${i}`, intervalSeconds: 180 });
    const r = await api("POST", "/api/v1/monitors", { key, body: tcp("eleventh") });
    expect(r.status).toBe(402);
    expect((r.body as Refusal).error).toMatchObject({
      code: "plan_limit_reached",
      message: `Acme is on the Free plan, which allows 10 monitors (it has 10). Upgrade to Starter for 50 monitors: ${BILLING}.`,
      limit: { name: "monitors", plan: "free", allowed: 10, current: 10, requested: 11, upgradePlan: "starter", upgradeUrl: BILLING },
    });
    expect(await db().select().from(monitors).where(eq(monitors.organizationId, t.org.id))).toHaveLength(10);
  });

  it("concurrent creates cannot both take the last place", async () => {
    const t = await apiTenant("Race");
    const key = (await t.key()).key;
    for (let i = 0; i < 9; i++) await insertMonitor(t.org.id, { name: `m${i}`, intervalSeconds: 180 });
    const answers = await Promise.all([1, 2, 3].map((i) => api("POST", "/api/v1/monitors", { key, body: tcp(`last ${i}`) })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 402, 402]);
    expect(await db().select().from(monitors).where(eq(monitors.organizationId, t.org.id))).toHaveLength(10);
  });

  it("an interval below the plan's minimum is refused on create and on update; an edit that keeps it is not", async () => {
    const t = await apiTenant("Intervals");
    const key = (await t.key()).key;
    const fast = await api("POST", "/api/v1/monitors", { key, body: tcp("fast", { intervalSeconds: 60 }) });
    expect(fast.status).toBe(402);
    expect((fast.body as Refusal).error.limit).toMatchObject({ name: "minIntervalSeconds", plan: "free", allowed: 180, requested: 60, upgradePlan: "starter" });
    expect((fast.body as Refusal).error.message).toMatch(/allows checks every 180 seconds at the shortest \(asked for 60 seconds\)\. Upgrade to Starter for checks every 60 seconds/);

    const ok = await api("POST", "/api/v1/monitors", { key, body: tcp("slow") });
    expect(ok.status).toBe(201);
    const id = (ok.body as { id: string }).id;
    const patch = await api("PATCH", `/api/v1/monitors/${id}`, { key, body: { intervalSeconds: 30 } });
    expect(patch.status).toBe(402);
    expect((patch.body as Refusal).error.limit).toMatchObject({ name: "minIntervalSeconds", requested: 30, upgradePlan: "pro" });
    // A monitor left at 60 s (before a downgrade was enforced) can still be renamed.
    await db().update(monitors).set({ intervalSeconds: 60 }).where(eq(monitors.id, id));
    expect((await api("PATCH", `/api/v1/monitors/${id}`, { key, body: { name: "renamed" } })).status).toBe(200);
  });

  it("more regions per monitor than the plan allows are refused on create and update", async () => {
    const [eu, us, ap] = [`pl-eu-${randomUUID().slice(0, 6)}`, `pl-us-${randomUUID().slice(0, 6)}`, `pl-ap-${randomUUID().slice(0, 6)}`];
    for (const r of [eu, us, ap]) await regionId(r);
    const t = await apiTenant("Regions");
    const key = (await t.key()).key;
    const two = await api("POST", "/api/v1/monitors", { key, body: tcp("two", { regions: [eu, us] }) });
    expect(two.status).toBe(402);
    expect((two.body as Refusal).error).toMatchObject({
      message: `Regions is on the Free plan, which allows 1 region per monitor (asked for 2). Upgrade to Starter for 2 regions per monitor: ${BILLING}.`,
      limit: { name: "regions", allowed: 1, requested: 2, upgradePlan: "starter" },
    });
    const one = await api("POST", "/api/v1/monitors", { key, body: tcp("one", { regions: [eu] }) });
    expect(one.status).toBe(201);
    const id = (one.body as { id: string }).id;
    const more = await api("PATCH", `/api/v1/monitors/${id}`, { key, body: { regions: [eu, us, ap] } });
    expect(more.status).toBe(402);
    expect((more.body as Refusal).error.limit).toMatchObject({ name: "regions", requested: 3, upgradePlan: "pro" });
    expect((await api("PATCH", `/api/v1/monitors/${id}`, { key, body: { regions: [us] } })).status).toBe(200);
  });

  it("a monitor a downgrade paused resumes only within the plan's count", async () => {
    const t = await apiTenant("Resume");
    const key = (await t.key()).key;
    const running = [];
    for (let i = 0; i < 10; i++) running.push(await insertMonitor(t.org.id, { name: `r${i}`, intervalSeconds: 180 }));
    const held = await insertMonitor(t.org.id, { name: "held", intervalSeconds: 180, paused: true, pausedByPlan: true, state: "PAUSED" });
    const r = await api("POST", `/api/v1/monitors/${held.id}/resume`, { key });
    expect(r.status).toBe(402);
    expect((r.body as Refusal).error.limit).toMatchObject({ name: "monitors", current: 10, requested: 11 });
    expect((await api("PATCH", `/api/v1/monitors/${held.id}`, { key, body: { paused: false } })).status).toBe(402);
    // A monitor paused by a person still counts; deleting one makes room.
    expect((await api("DELETE", `/api/v1/monitors/${running[0]!.id}`, { key })).status).toBe(204);
    expect((await api("POST", `/api/v1/monitors/${held.id}/resume`, { key })).status).toBe(200);
    const [row] = await db().select().from(monitors).where(eq(monitors.id, held.id));
    expect(row).toMatchObject({ paused: false, pausedByPlan: false });
  });
});

describe("status pages", () => {
  it("a second page on free is refused; publishing counts the pages already public", async () => {
    const t = await apiTenant("Pages");
    const key = (await t.key()).key;
    const slug = () => `pl-${randomUUID().slice(0, 8)}`;
    const first = await api("POST", "/api/v1/status-pages", { key, body: { name: "Public", slug: slug() } });
    expect(first.status).toBe(201);
    const second = await api("POST", "/api/v1/status-pages", { key, body: { name: "Draft", slug: slug(), published: false } });
    expect(second.status).toBe(402);
    expect((second.body as Refusal).error).toMatchObject({
      message: `Pages is on the Free plan, which allows 1 status page (it has 1). Upgrade to Starter for 3 status pages: ${BILLING}.`,
      limit: { name: "statusPages", current: 1, upgradePlan: "starter" },
    });
    // As after a downgrade: a second page, unpublished by the plan.
    const [extra] = await db().insert(statusPages).values({ organizationId: t.org.id, name: "Extra", slug: slug(), published: false, unpublishedByPlan: true }).returning();
    const publish = await api("PATCH", `/api/v1/status-pages/${extra!.id}`, { key, body: { published: true } });
    expect(publish.status).toBe(402);
    expect((publish.body as Refusal).error.limit).toMatchObject({ name: "statusPages", current: 1, requested: 2 });
    // Swapping which page is public is fine.
    expect((await api("PATCH", `/api/v1/status-pages/${(first.body as { id: string }).id}`, { key, body: { published: false } })).status).toBe(200);
    expect((await api("PATCH", `/api/v1/status-pages/${extra!.id}`, { key, body: { published: true } })).status).toBe(200);
    const [row] = await db().select().from(statusPages).where(eq(statusPages.id, extra!.id));
    expect(row).toMatchObject({ published: true, unpublishedByPlan: false });
  });
});

describe("members", () => {
  async function orgWithAdmin(name: string) {
    const org = await createOrg(name);
    const admin = await createUser();
    await addMember(org.id, admin.id, "ADMIN");
    const ctx = { actor: { userId: admin.id, email: admin.email, isAdmin: false }, org: { id: org.id, slug: org.slug, name: org.name, role: "ADMIN" as const }, meta };
    return { org, admin, ctx };
  }

  it("inviting counts members and pending invitations", async () => {
    const { ctx } = await orgWithAdmin("Invites");
    await inviteMember({ ctx, input: { email: uniqueEmail("one"), role: "VIEWER" } });
    const e = await inviteMember({ ctx, input: { email: uniqueEmail("two"), role: "VIEWER" } }).catch((x) => x);
    expect(e).toBeInstanceOf(PlanLimitReached);
    expect(e.message).toBe(`Invites is on the Free plan, which allows 2 members (it has 2). Upgrade to Starter for 5 members: ${BILLING}.`);
    expect(e.limit).toMatchObject({ name: "members", current: 2, requested: 3 });
  });

  it("accepting into a full organization is refused with 402 and leaves the invitation usable", async () => {
    const { org, ctx } = await orgWithAdmin("Full");
    const invited = uniqueEmail("late");
    const { token } = await inviteMember({ ctx, input: { email: invited, role: "VIEWER" } });
    // Someone else joined meanwhile (as after a downgrade, or an operator's hand).
    await addMember(org.id, (await createUser()).id, "VIEWER");
    const e = await acceptInvitationAsNewUser({ token, input: { name: "Late", password: "a long enough passphrase" }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(PlanLimitReached);
    expect(e.status).toBe(402);
    expect(e.message).toBe("Full is on the Free plan, which allows 2 members (it has 2). Ask an administrator of Full to upgrade to Starter, then open this invitation again.");
    const [inv] = await db()
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(token)));
    expect(inv!.acceptedAt).toBeNull();

    const existing = await createUser({ email: invited.replace("@", "+x@") });
    const token2 = "plan-limits-" + randomUUID();
    await db()
      .insert(invitations)
      .values({ organizationId: org.id, email: existing.email, role: "VIEWER", tokenHash: hashToken(token2), expiresAt: new Date(Date.now() + 86_400_000) });
    await expect(acceptInvitation({ token: token2, userId: existing.id, meta })).rejects.toBeInstanceOf(PlanLimitReached);
    // A paid plan makes room: the same invitation now works.
    await comp(org.id, "starter");
    expect(await acceptInvitation({ token: token2, userId: existing.id, meta })).toMatchObject({ organizationId: org.id });
  });
});

describe("SMS credits", () => {
  const SID = "AC0123456789abcdef0123456789abcdef";
  const month = `${new Date().toISOString().slice(0, 7)}-01`;

  /** An SMS channel to the loopback Twilio and one pending delivery of a DOWN event, claimed only by this test. */
  async function smsSetup(name: string) {
    const t = await createTenant(name);
    const ch = await createChannel({
      ctx: t.ctx.ADMIN,
      input: { name: "On-call SMS", type: "sms", to: "+14155550123", accountSid: SID, authToken: "twilio-auth-token-secret", from: "+14155550100", baseUrl: `${twilio.url}/twilio` },
    });
    const m = await insertMonitor(t.org.id, { name: "Checkout API" });
    const delivery = async () => {
      // Processed already, so no outbox or worker of another file takes it: deliver() below is the only sender.
      const [e] = await db()
        .insert(monitorEvents)
        .values({ organizationId: t.org.id, monitorId: m.id, kind: "down", toState: "DOWN", payload: { cause: "Expected status 200-299, got 503" }, processedAt: new Date() })
        .returning();
      const [d] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: e!.id, channelId: ch.id }).returning();
      return d!.id;
    };
    const usage = async () =>
      (
        await db()
          .select()
          .from(smsUsage)
          .where(and(eq(smsUsage.organizationId, t.org.id), eq(smsUsage.month, month)))
      )[0];
    const logOf = (id: string) => db().select().from(notificationLog).where(eq(notificationLog.deliveryId, id)).orderBy(asc(notificationLog.id));
    return { t, ch, delivery, usage, logOf };
  }

  it("free includes none: the SMS is skipped, logged with the reason, and counted as skipped", async () => {
    const s = await smsSetup("No SMS");
    const before = twilio.requests.length;
    const id = await s.delivery();
    expect(await deliver(id)).toMatchObject({ status: "skipped" });
    const reason = `Not sent: the Free plan includes no SMS. Upgrade to Starter for 50 a month: ${BILLING}.`;
    expect(await s.logOf(id)).toMatchObject([{ status: "skipped", response: reason, error: null }]);
    const [row] = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
    expect(row).toMatchObject({ status: "skipped", lastError: reason });
    expect(twilio.requests.length).toBe(before);
    expect(await s.usage()).toMatchObject({ sent: 0, skipped: 1 });
  });

  it("a paid plan sends up to its credits, charges only what the provider accepted, then skips", async () => {
    const s = await smsSetup("Some SMS");
    await comp(s.t.org.id, "starter");
    await db().insert(smsUsage).values({ organizationId: s.t.org.id, month, sent: 48 });

    // Refused by Twilio: no credit used.
    twilio.script({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
    expect(await deliver(await s.delivery())).toMatchObject({ status: "failed" });
    expect(await s.usage()).toMatchObject({ sent: 48, skipped: 0 });

    expect(await deliver(await s.delivery())).toMatchObject({ status: "delivered" });
    // A test send is a real SMS: it takes the 50th credit.
    const [row] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, s.ch.id));
    expect(await sendTestNotification(row!)).toMatchObject({ ok: true });
    expect(await s.usage()).toMatchObject({ sent: 50, skipped: 0 });

    const before = twilio.requests.length;
    const over = await s.delivery();
    expect(await deliver(over)).toMatchObject({ status: "skipped" });
    expect((await s.logOf(over))[0]).toMatchObject({
      status: "skipped",
      response: `Not sent: Some SMS has used all 50 SMS its Starter plan includes this month (they renew on the 1st, UTC). Upgrade to Pro for 200 a month: ${BILLING}.`,
    });
    const test = await sendTestNotification(row!);
    expect(test).toMatchObject({ ok: false, error: expect.stringMatching(/^Not sent: Some SMS has used all 50 SMS/) });
    const [testLog] = await db()
      .select()
      .from(notificationLog)
      .where(and(eq(notificationLog.channelId, s.ch.id), eq(notificationLog.eventKind, "test")))
      .orderBy(asc(notificationLog.id))
      .offset(1);
    expect(testLog).toMatchObject({ status: "skipped" });
    expect(twilio.requests.length).toBe(before);
    expect(await s.usage()).toMatchObject({ sent: 50, skipped: 2 });
  });
});

describe("API rate limit", () => {
  /** Stays inside one fixed minute window for `n` quick requests. */
  async function sameMinute() {
    const s = new Date().getSeconds();
    if (s > 50) await new Promise((r) => setTimeout(r, (61 - s) * 1000));
  }

  it("free: 60 requests a minute, the 61st is 429, and RateLimit-Limit says 60", async () => {
    const t = await apiTenant("Rate Free");
    const key = (await t.key()).key;
    await sameMinute();
    let last = await api("GET", "/api/v1/monitors", { key });
    expect(last.headers.get("ratelimit-limit")).toBe("60");
    for (let i = 2; i <= 60; i++) last = await api("GET", "/api/v1/monitors", { key });
    expect(last.status).toBe(200);
    expect(last.headers.get("ratelimit-remaining")).toBe("0");
    const over = await api("GET", "/api/v1/monitors", { key });
    expect(over.status).toBe(429);
    expect(over.headers.get("ratelimit-limit")).toBe("60");
    expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("follows the plan: a comped pro organization gets 600", async () => {
    const t = await apiTenant("Rate Pro");
    await comp(t.org.id, "pro");
    const r = await api("GET", "/api/v1/monitors", { key: (await t.key()).key });
    expect(r.status).toBe(200);
    expect(r.headers.get("ratelimit-limit")).toBe("600");
    expect(r.headers.get("ratelimit-policy")).toBe("600;w=60");
  });

  it("the plan is remembered per organization: authenticating again costs no query", async () => {
    const t = await apiTenant("Rate Cached");
    const { key } = await t.key();
    expect((await authenticateApiKey({ key, meta })).rate.limit).toBe(60);
    const { result, queries } = await countingQueries(() => authenticateApiKey({ key, meta }));
    expect(result.rate.limit).toBe(60);
    expect(queries).toBe(0);
  });
});

describe("a paid plan raises the limits", () => {
  it("comped pro: an 11th monitor, 30 s checks and three regions are all fine", async () => {
    const regions = [`pl-x-${randomUUID().slice(0, 6)}`, `pl-y-${randomUUID().slice(0, 6)}`, `pl-z-${randomUUID().slice(0, 6)}`];
    for (const r of regions) await regionId(r);
    const t = await apiTenant("Comped");
    await comp(t.org.id, "pro");
    const key = (await t.key()).key;
    for (let i = 0; i < 10; i++) await insertMonitor(t.org.id, { name: `m${i}`, intervalSeconds: 180 });
    const r = await api("POST", "/api/v1/monitors", { key, body: tcp("eleventh", { intervalSeconds: 30, regions }) });
    expect(r.status).toBe(201);
    const pages = await Promise.all([1, 2].map((i) => api("POST", "/api/v1/status-pages", { key, body: { name: `Page ${i}`, slug: `pl-${randomUUID().slice(0, 8)}` } })));
    expect(pages.map((p) => p.status)).toEqual([201, 201]);
  });
});
