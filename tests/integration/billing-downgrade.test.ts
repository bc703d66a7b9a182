import { randomBytes } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, monitors, organizations, statusPages } from "../../src/server/db/schema";
import { applyBillingState, enforcePlans } from "../../src/server/billing/enforce";
import { dispatcher } from "../../src/server/jobs/processors";
import { MAINTENANCE_QUEUE } from "../../src/server/jobs/catalog";
import { checkQueue, schedulerId, syncSchedule } from "../../src/server/monitors/schedule";
import { callRoute } from "../helpers/app-route";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { insertPage } from "../helpers/status-factory";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";
import { startStripeStub, stubSubscription, type StripeStub } from "../helpers/stripe-stub";

const SECRET = "whsec_billing_downgrade_test";
let stub: StripeStub;
let smtp: Smtp;

beforeAll(async () => {
  [stub, smtp] = await Promise.all([startStripeStub(), startSmtp()]);
  // Before the first env() call in this file: env() caches what it reads.
  Object.assign(process.env, {
    SMTP_URL: smtp.url,
    STRIPE_SECRET_KEY: "sk_test_billing_downgrade",
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_API_URL: stub.url,
    STRIPE_PRICE_STARTER_MONTHLY: "price_starter_m",
    STRIPE_PRICE_PRO_MONTHLY: "price_pro_m",
    BILLING_GRACE_DAYS: "7",
    // Our own queue keys (under the run's prefix): a worker another test file starts must not run this file's billing jobs.
    REDIS_PREFIX: `${inject("redisPrefix")}billing-downgrade-`,
  });
});
afterAll(() => Promise.all([stub.close(), smtp.close()]));

const DAY = 86_400_000;

async function deliver(type: string, object: object) {
  const payload = JSON.stringify({ id: `evt_${randomBytes(8).toString("hex")}`, object: "event", type, created: Math.floor(Date.now() / 1000), data: { object } });
  const r = await callRoute("POST", "/api/stripe/webhook", {
    headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }) },
    body: payload,
  });
  expect(r.status).toBe(200);
}

const monitorRows = async (orgId: string) => db().select().from(monitors).where(eq(monitors.organizationId, orgId));
const byName = async (orgId: string) => Object.fromEntries((await monitorRows(orgId)).map((m) => [m.name, m]));
const pageRows = async (orgId: string) => Object.fromEntries((await db().select().from(statusPages).where(eq(statusPages.organizationId, orgId))).map((p) => [p.name, p]));
const actions = async (orgId: string, prefix: string) =>
  (
    await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, orgId), like(auditLog.action, `${prefix}%`)))
  ).map((a) => a.action);
const hasScheduler = async (id: string, region = "default") => !!(await checkQueue(region).getJobScheduler(schedulerId(id)));

describe("subscription states and downgrade enforcement", () => {
  it("past_due → one email, limits kept for the grace → free: newest monitors paused (keep_on_downgrade first), intervals raised, regions trimmed, pages unpublished, one email; an upgrade undoes the pauses", async () => {
    const t = await createTenant("Downgrade Co");
    const customer = `cus_${randomBytes(6).toString("hex")}`;
    await db().update(organizations).set({ stripeCustomerId: customer }).where(eq(organizations.id, t.org.id));
    const sub = stubSubscription(stub, { customer, price: "price_pro_m", status: "active" });
    await deliver("customer.subscription.created", sub);
    // Pro allows 250 monitors at 30 s; Free allows 10 at 180 s, one region, one page.
    const base = Date.now() - 100 * DAY;
    for (let i = 0; i < 12; i++) {
      await insertMonitor(t.org.id, {
        name: `m${i}`,
        createdAt: new Date(base + i * DAY),
        intervalSeconds: i === 0 ? 30 : 300,
        regions: i === 1 ? ["default", "eu-test", "us-test"] : ["default"],
        quorum: i === 1 ? 3 : null,
        keepOnDowngrade: i === 11,
      });
    }
    // Paused by a person: neither counted nor ever resumed by billing.
    await insertMonitor(t.org.id, { name: "mine", paused: true, state: "PAUSED", intervalSeconds: 300, createdAt: new Date(base - DAY) });
    for (const m of await monitorRows(t.org.id)) await syncSchedule(m);
    await insertPage(t.org.id, { name: "Old page", createdAt: new Date(base) });
    await insertPage(t.org.id, { name: "New page", createdAt: new Date(base + DAY) });
    await insertPage(t.org.id, { name: "Draft page", published: false, createdAt: new Date(base + 2 * DAY) });
    await applyBillingState(t.org.id);
    expect((await db().select().from(organizations).where(eq(organizations.id, t.org.id)))[0]!.enforcedPlan).toBe("pro");

    // The payment fails: past_due, with the plan kept for the grace and one email.
    stubSubscription(stub, { id: sub.id, customer, price: "price_pro_m", status: "past_due" });
    await deliver("customer.subscription.updated", sub);
    const run = dispatcher(MAINTENANCE_QUEUE);
    const job = (data: object) => ({ name: "billing-apply", data, opts: {}, timestamp: Date.now(), attemptsMade: 0 });
    const first = (await run(job({ organizationId: t.org.id }))) as Awaited<ReturnType<typeof applyBillingState>>;
    expect(first.pastDueNotified).toBe(true);
    expect(first.enforced!.changes).toEqual([]);
    await run(job({ organizationId: t.org.id }));
    await enforcePlans({ organizationIds: [t.org.id] });
    const pastDueMail = await smtp.waitFor((m) => toOf(m).includes(t.admin.email) && /Payment failed/.test(m.subject ?? ""));
    expect(pastDueMail.text).toMatch(/stay in place until/);
    // ADMINs only, once.
    expect(smtp.messages.filter((m) => /Payment failed for Downgrade Co/.test(m.subject ?? ""))).toHaveLength(1);
    expect(toOf(pastDueMail)).not.toContain(t.editor.email);
    expect((await monitorRows(t.org.id)).filter((m) => m.paused && m.name !== "mine")).toEqual([]);

    // The grace runs out: the hourly job moves the organization to free.
    await db()
      .update(organizations)
      .set({ pastDueSince: new Date(Date.now() - 8 * DAY) })
      .where(eq(organizations.id, t.org.id));
    const sweep = await enforcePlans({ organizationIds: [t.org.id] });
    expect(sweep.changes).toBeGreaterThan(0);
    const after = await byName(t.org.id);
    // 12 counted monitors, 10 allowed: m11 (kept by the ADMIN) and m0…m8 run; m9 and m10 (the newest others) pause.
    expect(
      Object.values(after)
        .filter((m) => m.pausedByPlan)
        .map((m) => m.name)
        .sort(),
    ).toEqual(["m10", "m9"]);
    expect(after.m9).toMatchObject({ paused: true, state: "PAUSED" });
    expect(after.m11!.paused).toBe(false);
    expect(after.mine).toMatchObject({ paused: true, pausedByPlan: false });
    expect(await hasScheduler(after.m9!.id)).toBe(false);
    expect(await hasScheduler(after.m8!.id)).toBe(true);
    expect(after.m0!.intervalSeconds).toBe(180);
    expect(after.m1).toMatchObject({ regions: ["default"], quorum: null });
    expect(await hasScheduler(after.m1!.id, "eu-test")).toBe(false);
    const pages = await pageRows(t.org.id);
    expect(pages["Old page"]).toMatchObject({ published: true, unpublishedByPlan: false });
    expect(pages["New page"]).toMatchObject({ published: false, unpublishedByPlan: true });
    expect(pages["Draft page"]).toMatchObject({ published: false, unpublishedByPlan: false });
    const audited = [...(await actions(t.org.id, "monitor.")), ...(await actions(t.org.id, "status_page."))].sort();
    expect(audited).toEqual(["monitor.interval_raised_by_plan", "monitor.paused_by_plan", "monitor.paused_by_plan", "monitor.regions_trimmed_by_plan", "status_page.unpublished_by_plan"]);
    expect(await actions(t.org.id, "billing.plan_enforced")).toHaveLength(2);
    const downgradeMail = await smtp.waitFor((m) => /is now on the Free plan/.test(m.subject ?? "") && toOf(m).includes(t.admin.email));
    expect(downgradeMail.text).toContain('Paused monitor "m9"');
    expect(downgradeMail.text).toContain('Unpublished status page "New page"');
    expect(downgradeMail.text).toContain("from 30 s to 180 s");
    // Idempotent: another sweep changes and sends nothing.
    const mails = smtp.messages.length;
    await enforcePlans({ organizationIds: [t.org.id] });
    await applyBillingState(t.org.id);
    expect(smtp.messages.filter((m) => /is now on the Free plan/.test(m.subject ?? ""))).toHaveLength(1);
    expect(smtp.messages.length).toBe(mails);

    // Paid again: the plan allows all monitors and pages, so the plan's pauses are undone.
    stubSubscription(stub, { id: sub.id, customer, price: "price_pro_m", status: "active" });
    await deliver("invoice.paid", {
      id: `in_${randomBytes(5).toString("hex")}`,
      object: "invoice",
      customer,
      status: "paid",
      currency: "usd",
      amount_due: 2900,
      amount_paid: 2900,
      period_start: 0,
      period_end: 0,
      parent: { subscription_details: { subscription: sub.id } },
    });
    await applyBillingState(t.org.id);
    const resumed = await byName(t.org.id);
    expect(resumed.m9).toMatchObject({ paused: false, pausedByPlan: false, state: "PENDING" });
    expect(resumed.mine).toMatchObject({ paused: true });
    expect(await hasScheduler(resumed.m9!.id)).toBe(true);
    expect(await hasScheduler(resumed.mine!.id)).toBe(false);
    expect((await pageRows(t.org.id))["New page"]).toMatchObject({ published: true, unpublishedByPlan: false });
    expect((await pageRows(t.org.id))["Draft page"]!.published).toBe(false);
    expect(await actions(t.org.id, "monitor.resumed_by_plan")).toHaveLength(2);
    await smtp.waitFor((m) => /is now on the Pro plan/.test(m.subject ?? ""));
  });

  it("cancel at period end: the deleted subscription drops the organization to free", async () => {
    const t = await createTenant("Cancel Co");
    const customer = `cus_${randomBytes(6).toString("hex")}`;
    await db().update(organizations).set({ stripeCustomerId: customer }).where(eq(organizations.id, t.org.id));
    const sub = stubSubscription(stub, { customer, price: "price_starter_m", status: "active", cancelAtPeriodEnd: true });
    await deliver("customer.subscription.updated", sub);
    for (let i = 0; i < 11; i++) await insertMonitor(t.org.id, { name: `c${i}`, intervalSeconds: 300, createdAt: new Date(Date.now() - (20 - i) * DAY) });
    await applyBillingState(t.org.id);
    expect((await monitorRows(t.org.id)).filter((m) => m.paused)).toEqual([]);
    stubSubscription(stub, { id: sub.id, customer, price: "price_starter_m", status: "canceled" });
    await deliver("customer.subscription.deleted", stub.subscriptions.get(sub.id)!);
    const r = await applyBillingState(t.org.id);
    expect(r.enforced).toMatchObject({ plan: "free", previous: "starter" });
    expect((await monitorRows(t.org.id)).filter((m) => m.pausedByPlan).map((m) => m.name)).toEqual(["c10"]);
  });
});
