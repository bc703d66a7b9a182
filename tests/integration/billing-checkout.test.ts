import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetStripe } from "../../src/server/billing/stripe";
import { db } from "../../src/server/db/client";
import { auditLog, billingInvoices, invitations, monitors, organizations, smsUsage } from "../../src/server/db/schema";
import { env } from "../../src/server/env";
import { Conflict, Forbidden, Invalid, NotFound } from "../../src/server/errors";
import type { Ctx } from "../../src/server/context";
import { createCheckoutSession } from "../../src/server/services/billing/create-checkout-session";
import { createPortalSession } from "../../src/server/services/billing/create-portal-session";
import { getBillingOverview } from "../../src/server/services/billing/get-billing-overview";
import { getPastDueNotice } from "../../src/server/services/billing/get-past-due-notice";
import { setDowngradeKeep } from "../../src/server/services/billing/set-downgrade-keep";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { insertPage } from "../helpers/status-factory";
import { startStripeStub, type StripeStub } from "../helpers/stripe-stub";

/**
 * Settings → Billing against a Stripe-compatible stub on loopback: Checkout and the Customer
 * Portal (customer created once, idempotency keys, trial once), the overview's figures, and the
 * refusals (roles, billing off, prices the operator did not set).
 */
let stub: StripeStub;
beforeAll(async () => {
  stub = await startStripeStub();
  // Before env() is first read in this file's worker. Business yearly stays unpriced on purpose.
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_perigee",
    STRIPE_WEBHOOK_SECRET: "whsec_test_perigee",
    STRIPE_API_URL: stub.url,
    STRIPE_PRICE_STARTER_MONTHLY: "price_starter_m",
    STRIPE_PRICE_STARTER_YEARLY: "price_starter_y",
    STRIPE_PRICE_PRO_MONTHLY: "price_pro_m",
    STRIPE_PRICE_PRO_YEARLY: "price_pro_y",
    STRIPE_PRICE_BUSINESS_MONTHLY: "price_business_m",
    BILLING_TRIAL_DAYS: "14",
  });
  resetStripe();
  expect(env().STRIPE_API_URL).toBe(stub.url);
});
afterAll(async () => {
  resetStripe();
  await stub.close();
});

const since = () => {
  const n = stub.requests.length;
  return () => stub.requests.slice(n);
};

/** Runs `fn` as an install with billing off (no STRIPE_SECRET_KEY), then restores the key. */
async function withBillingOff<T>(fn: () => Promise<T>): Promise<T> {
  const e = env();
  const key = e.STRIPE_SECRET_KEY;
  e.STRIPE_SECRET_KEY = undefined;
  resetStripe();
  try {
    return await fn();
  } finally {
    e.STRIPE_SECRET_KEY = key;
    resetStripe();
  }
}

const org = async (id: string) => (await db().select().from(organizations).where(eq(organizations.id, id)))[0]!;

describe("checkout", () => {
  it("creates the Stripe customer once, then reuses it; client_reference_id is the organization", async () => {
    const t = await createTenant("Checkout Co");
    const reqs = since();
    const first = await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "starter", interval: "month" } });
    expect(first.url).toMatch(new RegExp(`^${stub.url}/checkout/cs_`));

    const customers = reqs().filter((r) => r.method === "POST" && r.path === "/v1/customers");
    expect(customers).toHaveLength(1);
    expect(customers[0]!.body).toMatchObject({ email: t.admin.email, name: "Checkout Co", metadata: { organizationId: t.org.id } });
    const customerId = (await org(t.org.id)).stripeCustomerId;
    expect(customerId).toMatch(/^cus_/);

    const checkout = reqs().find((r) => r.path === "/v1/checkout/sessions")!;
    expect(checkout.body).toMatchObject({
      mode: "subscription",
      customer: customerId,
      client_reference_id: t.org.id,
      line_items: [{ price: "price_starter_m", quantity: "1" }],
      subscription_data: { trial_period_days: "14", metadata: { organizationId: t.org.id } },
      tax_id_collection: { enabled: "true" },
      billing_address_collection: "required",
      success_url: `${env().APP_URL}/settings/billing?checkout=success`,
      cancel_url: `${env().APP_URL}/settings/billing?checkout=cancelled`,
    });

    const again = since();
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "pro", interval: "year" } });
    expect(again().filter((r) => r.path === "/v1/customers")).toEqual([]);
    expect(again().find((r) => r.path === "/v1/checkout/sessions")!.body).toMatchObject({ customer: customerId, line_items: [{ price: "price_pro_y" }] });

    const audit = await db().select().from(auditLog).where(eq(auditLog.organizationId, t.org.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["billing.checkout_started", "billing.checkout_started", "billing.customer_created"]);
  });

  it("offers the trial on the first upgrade only", async () => {
    const t = await createTenant();
    await db().update(organizations).set({ trialUsed: true }).where(eq(organizations.id, t.org.id));
    const reqs = since();
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "pro", interval: "month" } });
    const body = reqs().find((r) => r.path === "/v1/checkout/sessions")!.body as { subscription_data: Record<string, unknown> };
    expect(body.subscription_data.trial_period_days).toBeUndefined();
  });

  it("sends an idempotency key with every POST; a double-click sends the same one (Stripe then answers with the same session)", async () => {
    const t = await createTenant();
    // Stay inside one minute: the key's time bucket.
    while (new Date().getSeconds() > 50) await new Promise((r) => setTimeout(r, 1000));
    const reqs = since();
    const a = await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "starter", interval: "year" } });
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "starter", interval: "year" } });
    await createPortalSession({ ctx: t.ctx.ADMIN });
    await getBillingOverview({ ctx: t.ctx.ADMIN });
    const posts = reqs().filter((r) => r.method === "POST");
    expect(posts.length).toBeGreaterThanOrEqual(4);
    for (const p of posts) expect(p.idempotencyKey, `${p.path} without an idempotency key`).toBeTruthy();
    const sessions = posts.filter((p) => p.path === "/v1/checkout/sessions");
    expect(sessions[0]!.idempotencyKey).toBe(sessions[1]!.idempotencyKey);
    expect(a.sessionId).toMatch(/^cs_/);
    // A different plan is a different operation.
    const other = since();
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "pro", interval: "year" } });
    expect(other()[0]!.idempotencyKey).not.toBe(sessions[0]!.idempotencyKey);
  });

  it("names the missing price variable and calls Stripe for nothing", async () => {
    const t = await createTenant();
    const reqs = since();
    const e = await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "business", interval: "year" } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Invalid);
    expect((e as Error).message).toContain("STRIPE_PRICE_BUSINESS_YEARLY");
    expect(reqs()).toEqual([]);
  });

  it("refuses a plan or interval it does not sell", async () => {
    const t = await createTenant();
    await expect(createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "self-hosted", interval: "month" } })).rejects.toBeInstanceOf(Invalid);
    await expect(createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "pro", interval: "week" } })).rejects.toBeInstanceOf(Invalid);
  });

  it("sends an organization with a subscription to the portal instead", async () => {
    const t = await createTenant();
    await db()
      .update(organizations)
      .set({ stripeCustomerId: `cus_${randomBytes(4).toString("hex")}`, stripeSubscriptionId: "sub_x", subscriptionPlan: "pro", subscriptionStatus: "active" })
      .where(eq(organizations.id, t.org.id));
    const reqs = since();
    await expect(createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "business", interval: "month" } })).rejects.toThrow(/already has a subscription.*Manage billing/);
    expect(reqs()).toEqual([]);
  });

  it("with billing off: a clear refusal and no Stripe call", async () => {
    const t = await createTenant();
    const reqs = since();
    await withBillingOff(async () => {
      await expect(createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "starter", interval: "month" } })).rejects.toThrow(
        new Conflict("Billing is not enabled on this install: it runs self-hosted, with no plans to buy."),
      );
      await expect(createPortalSession({ ctx: t.ctx.ADMIN })).rejects.toBeInstanceOf(Conflict);
      const o = await getBillingOverview({ ctx: t.ctx.ADMIN });
      expect(o.enabled).toBe(false);
      expect(o.plan).toMatchObject({ id: "self-hosted", source: "self-hosted" });
      expect(o.usage.find((u) => u.name === "monitors")).toMatchObject({ used: 0, allowed: null, over: false });
    });
    expect(reqs()).toEqual([]);
  });
});

describe("roles", () => {
  const verbs: [string, (ctx: Ctx) => Promise<unknown>][] = [
    ["checkout", (ctx) => createCheckoutSession({ ctx, input: { plan: "starter", interval: "month" } })],
    ["portal", (ctx) => createPortalSession({ ctx })],
    ["overview", (ctx) => getBillingOverview({ ctx })],
    ["downgrade keep", (ctx) => setDowngradeKeep({ ctx, input: { monitorIds: [] } })],
    ["past-due notice", (ctx) => getPastDueNotice({ ctx })],
  ];
  it.each(verbs)("%s: EDITOR and VIEWER are refused (403) before Stripe is called", async (_name, run) => {
    const t = await createTenant();
    const reqs = since();
    for (const role of ["EDITOR", "VIEWER"] as const) {
      const e = await run(t.ctx[role]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Forbidden);
      expect((e as Forbidden).status).toBe(403);
    }
    expect(reqs()).toEqual([]);
  });
});

describe("portal", () => {
  it("opens the Customer Portal for the stored customer, back to the billing page", async () => {
    const t = await createTenant();
    await expect(createPortalSession({ ctx: t.ctx.ADMIN })).rejects.toThrow(/no billing account yet/);
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "starter", interval: "month" } });
    const customerId = (await org(t.org.id)).stripeCustomerId;
    const reqs = since();
    const p = await createPortalSession({ ctx: t.ctx.ADMIN });
    expect(p.url).toMatch(new RegExp(`^${stub.url}/portal/bps_`));
    expect(reqs()).toMatchObject([{ method: "POST", path: "/v1/billing_portal/sessions", body: { customer: customerId, return_url: `${env().APP_URL}/settings/billing` } }]);
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, t.org.id), eq(auditLog.action, "billing.portal_opened")));
    expect(audit).toMatchObject({ actorUserId: t.admin.id, targetId: customerId });
  });
});

describe("overview", () => {
  it("shows usage against every limit, the subscription, the next invoice, invoices and billing details", async () => {
    const t = await createTenant();
    await insertMonitor(t.org.id, { intervalSeconds: 120, regions: ["default", "eu-west"] });
    await insertMonitor(t.org.id, { intervalSeconds: 300 });
    await insertPage(t.org.id);
    await db()
      .insert(invitations)
      .values([
        { organizationId: t.org.id, email: "pending@example.test", role: "VIEWER", tokenHash: randomBytes(16).toString("hex"), expiresAt: new Date(Date.now() + 86400_000) },
        { organizationId: t.org.id, email: "expired@example.test", role: "VIEWER", tokenHash: randomBytes(16).toString("hex"), expiresAt: new Date(Date.now() - 1000) },
      ]);
    const month = `${new Date().toISOString().slice(0, 7)}-01`;
    await db()
      .insert(smsUsage)
      .values([
        { organizationId: t.org.id, month, sent: 3 },
        { organizationId: t.org.id, month: "2020-01-01", sent: 40 },
      ]);

    // Free plan (billing on, no subscription): 3 members + 1 pending invitation is over 2.
    const free = await getBillingOverview({ ctx: t.ctx.ADMIN });
    expect(free).toMatchObject({ enabled: true, plan: { id: "free", source: "free" }, hasCustomer: false, trialDays: 14, subscription: null, invoices: [] });
    const u = Object.fromEntries(free.usage.map((x) => [x.name, x]));
    expect(u.monitors).toMatchObject({ used: 2, allowed: 10, over: false, atLimit: false });
    expect(u.statusPages).toMatchObject({ used: 1, allowed: 1, over: false, atLimit: true });
    expect(u.members).toMatchObject({ used: 4, allowed: 2, over: true });
    expect(u.smsPerMonth).toMatchObject({ used: 3, allowed: 0, over: true });
    expect(u.regions).toMatchObject({ used: 2, allowed: 1, over: true });
    expect(u.minIntervalSeconds).toMatchObject({ used: 120, allowed: 180, over: true });
    expect(u.retentionDays).toMatchObject({ used: null, allowed: 30, over: false });
    expect(free.plans.find((p) => p.id === "business")!.intervals).toEqual(["month"]);

    // Subscribed (as the webhook would record it), with Stripe's customer, invoices and preview.
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "pro", interval: "month" } });
    const customerId = (await org(t.org.id)).stripeCustomerId!;
    Object.assign(stub.customers.get(customerId)!, {
      name: "Checkout GmbH",
      email: "billing@example.test",
      address: { line1: "Hauptstr. 1", line2: null, postal_code: "10115", city: "Berlin", state: null, country: "DE" },
      tax_ids: { object: "list", data: [{ id: "txi_1", object: "tax_id", type: "eu_vat", value: "DE123456789" }] },
    });
    stub.subscriptions.set("sub_over", { id: "sub_over", object: "subscription", customer: customerId, status: "trialing" });
    stub.invoices.push({
      id: "in_1",
      object: "invoice",
      customer: customerId,
      number: "PER-0001",
      status: "paid",
      currency: "eur",
      amount_due: 2900,
      amount_paid: 2900,
      created: 1764547200,
      period_end: 1764547200,
      hosted_invoice_url: "https://invoice.stripe.test/in_1",
    });
    const trialEnd = new Date(Date.now() + 10 * 86400_000 - 60_000);
    await db()
      .update(organizations)
      .set({
        stripeSubscriptionId: "sub_over",
        subscriptionPlan: "pro",
        subscriptionInterval: "month",
        subscriptionStatus: "trialing",
        trialEndsAt: trialEnd,
        currentPeriodEnd: trialEnd,
        trialUsed: true,
      })
      .where(eq(organizations.id, t.org.id));

    const paid = await getBillingOverview({ ctx: t.ctx.ADMIN });
    expect(paid).toMatchObject({
      plan: { id: "pro", source: "subscription" },
      hasCustomer: true,
      trialDays: 0,
      subscription: { plan: "pro", status: "trialing", trialDaysLeft: 10, cancelAtPeriodEnd: false },
      nextInvoice: { amountDue: 2900, currency: "usd" },
      invoices: [{ id: "in_1", number: "PER-0001", status: "paid", amountPaid: 2900, url: "https://invoice.stripe.test/in_1" }],
      details: { name: "Checkout GmbH", email: "billing@example.test", address: ["Hauptstr. 1", "10115 Berlin", "DE"], taxIds: [{ type: "eu_vat", value: "DE123456789" }] },
      stripeUnavailable: false,
    });
    expect(paid.usage.find((x) => x.name === "members")).toMatchObject({ used: 4, allowed: 20, over: false });
    const preview = stub.requests.filter((r) => r.path === "/v1/invoices/create_preview").at(-1)!;
    expect(preview.body).toMatchObject({ customer: customerId, subscription: "sub_over" });
  });

  it("shows Perigee's copy of the invoices when Stripe is down", async () => {
    const t = await createTenant();
    await createCheckoutSession({ ctx: t.ctx.ADMIN, input: { plan: "starter", interval: "month" } });
    const customerId = (await org(t.org.id)).stripeCustomerId!;
    await db()
      .insert(billingInvoices)
      .values({
        id: `in_${randomBytes(4).toString("hex")}`,
        organizationId: t.org.id,
        stripeCustomerId: customerId,
        number: "LOCAL-1",
        status: "paid",
        currency: "usd",
        amountDue: 900,
        amountPaid: 900,
        hostedInvoiceUrl: "https://invoice.stripe.test/local",
      });
    // Both attempts (the page's reads retry once) fail.
    stub.failNext(`/v1/customers/${customerId}`, 500, 2);
    stub.failNext("/v1/invoices", 503, 2);
    const o = await getBillingOverview({ ctx: t.ctx.ADMIN });
    expect(o.stripeUnavailable).toBe(true);
    expect(o.details).toBeNull();
    expect(o.invoices).toMatchObject([{ number: "LOCAL-1", url: "https://invoice.stripe.test/local" }]);
    // Stripe back: its answer again.
    expect((await getBillingOverview({ ctx: t.ctx.ADMIN })).stripeUnavailable).toBe(false);
  });
});

describe("downgrade keep", () => {
  it("marks the monitors the ADMIN keeps, replaces the choice, and refuses another tenant's monitor", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const [a, b, c] = [await insertMonitor(t.org.id), await insertMonitor(t.org.id), await insertMonitor(t.org.id)];
    const foreign = await insertMonitor(other.org.id);
    await setDowngradeKeep({ ctx: t.ctx.ADMIN, input: { monitorIds: [a.id, b.id] } });
    await setDowngradeKeep({ ctx: t.ctx.ADMIN, input: { monitorIds: [b.id, c.id] } });
    const kept = await db().select({ id: monitors.id, keep: monitors.keepOnDowngrade }).from(monitors).where(eq(monitors.organizationId, t.org.id));
    expect(Object.fromEntries(kept.map((k) => [k.id, k.keep]))).toEqual({ [a.id]: false, [b.id]: true, [c.id]: true });
    await expect(setDowngradeKeep({ ctx: t.ctx.ADMIN, input: { monitorIds: [a.id, foreign.id] } })).rejects.toBeInstanceOf(NotFound);
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, t.org.id), eq(auditLog.action, "billing.downgrade_keep_set")))
      .limit(1);
    expect(audit).toBeTruthy();
  });
});

describe("past-due banner", () => {
  it("tells ADMINs while a payment is overdue: the grace end, then that Free applies", async () => {
    const t = await createTenant();
    const set = (v: Partial<typeof organizations.$inferInsert>) => db().update(organizations).set(v).where(eq(organizations.id, t.org.id));
    expect(await getPastDueNotice({ ctx: t.ctx.ADMIN })).toBeNull();
    await set({ stripeCustomerId: `cus_${randomBytes(4).toString("hex")}`, stripeSubscriptionId: "sub_pd", subscriptionPlan: "pro", subscriptionStatus: "active" });
    expect(await getPastDueNotice({ ctx: t.ctx.ADMIN })).toBeNull();

    const overdueSince = new Date(Date.now() - 2 * 86400_000);
    await set({ subscriptionStatus: "past_due", pastDueSince: overdueSince });
    const grace = await getPastDueNotice({ ctx: t.ctx.ADMIN });
    expect(grace).toEqual({ plan: "Pro", graceEndsAt: new Date(overdueSince.getTime() + env().BILLING_GRACE_DAYS * 86400_000).toISOString() });

    await set({ pastDueSince: new Date(Date.now() - (env().BILLING_GRACE_DAYS + 1) * 86400_000) });
    expect(await getPastDueNotice({ ctx: t.ctx.ADMIN })).toEqual({ plan: "Pro", graceEndsAt: null });
    await withBillingOff(async () => expect(await getPastDueNotice({ ctx: t.ctx.ADMIN })).toBeNull());
  });
});
