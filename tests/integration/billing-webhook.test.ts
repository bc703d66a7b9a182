import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, billingInvoices, organizations, stripeEvents } from "../../src/server/db/schema";
import { MAINTENANCE_QUEUE } from "../../src/server/jobs/catalog";
import { sharedQueue } from "../../src/server/monitors/schedule";
import { reconcileBilling } from "../../src/server/billing/reconcile";
import { callRoute } from "../helpers/app-route";
import { createOrg } from "../helpers/factories";
import { startStripeStub, stubSubscription, type StripeStub } from "../helpers/stripe-stub";

const SECRET = "whsec_billing_webhook_test";
let stub: StripeStub;

beforeAll(async () => {
  stub = await startStripeStub();
  // Before the first env() call in this file: env() caches what it reads.
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_billing_webhook",
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_API_URL: stub.url,
    STRIPE_PRICE_STARTER_MONTHLY: "price_starter_m",
    STRIPE_PRICE_PRO_MONTHLY: "price_pro_m",
    STRIPE_PRICE_PRO_YEARLY: "price_pro_y",
    STRIPE_PRICE_BUSINESS_MONTHLY: "price_business_m",
    // Our own queue keys (under the run's prefix): a worker another test file starts must not run this file's billing jobs.
    REDIS_PREFIX: `${inject("redisPrefix")}billing-webhook-`,
  });
});
afterAll(() => stub.close());

const evtId = () => `evt_${randomBytes(8).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

function event(type: string, object: Record<string, unknown>, id = evtId()) {
  return { id, object: "event", api_version: "2026-10-28.endive", created: now(), livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type, data: { object } };
}

async function deliver(evt: object, opts: { timestamp?: number; body?: (payload: string) => string; signature?: string | null } = {}) {
  const payload = JSON.stringify(evt);
  const signature = opts.signature !== undefined ? opts.signature : Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: opts.timestamp });
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" };
  if (signature !== null) headers["stripe-signature"] = signature;
  const r = await callRoute("POST", "/api/stripe/webhook", { headers, body: opts.body ? opts.body(payload) : payload });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

const orgRow = async (id: string) => (await db().select().from(organizations).where(eq(organizations.id, id)))[0]!;
const audits = async (orgId: string, action: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, orgId), eq(auditLog.action, action)));
const subPath = (id: string) => `/v1/subscriptions/${id}`;

/** An organization that went through Checkout: customer stored, subscription in the stub. */
async function paying(status = "active", price = "price_pro_m") {
  const org = await createOrg("Paying Org");
  const customer = `cus_${randomBytes(6).toString("hex")}`;
  await db().update(organizations).set({ stripeCustomerId: customer }).where(eq(organizations.id, org.id));
  const sub = stubSubscription(stub, { customer, price, status, metadata: { organizationId: org.id } });
  return { org, customer, sub };
}

describe("POST /api/stripe/webhook", () => {
  it("checkout.session.completed links the customer and subscription, uses the trial, applies the plan (and queues the follow-up)", async () => {
    const org = await createOrg("Checkout Org");
    const customer = `cus_${randomBytes(6).toString("hex")}`;
    const trialEnd = now() + 14 * 86400;
    const sub = stubSubscription(stub, { customer, price: "price_starter_m", status: "trialing", trialEnd });
    const evt = event("checkout.session.completed", { id: "cs_test_1", object: "checkout.session", mode: "subscription", client_reference_id: org.id, customer, subscription: sub.id, metadata: {} });
    const r = await deliver(evt);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ received: true, result: "applied", eventId: evt.id, organizationId: org.id });
    const o = await orgRow(org.id);
    expect(o).toMatchObject({ stripeCustomerId: customer, stripeSubscriptionId: sub.id, trialUsed: true, subscriptionPlan: "starter", subscriptionInterval: "month", subscriptionStatus: "trialing" });
    expect(o.trialEndsAt!.getTime()).toBe(trialEnd * 1000);
    // current_period_end comes from the subscription item (API 2026-10-28).
    expect(o.currentPeriodEnd!.getTime()).toBe((sub.items as { data: { current_period_end: number }[] }).data[0]!.current_period_end * 1000);
    expect(await audits(org.id, "billing.checkout_completed")).toHaveLength(1);
    expect(await audits(org.id, "billing.subscription_updated")).toHaveLength(1);
    const job = await sharedQueue(MAINTENANCE_QUEUE).getJob(`billing-apply-${evt.id}`);
    expect(job?.data).toEqual({ organizationId: org.id });
  });

  it("the same event delivered three times applies once", async () => {
    const { org, sub } = await paying("active");
    const evt = event("customer.subscription.updated", { ...sub });
    const before = stub.requests.length;
    const results = [await deliver(evt), await deliver(evt), await deliver(evt)];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.result)).toEqual(["applied", "duplicate", "duplicate"]);
    // Only the first delivery asked Stripe.
    expect(stub.requests.slice(before).filter((q) => q.path === subPath(sub.id))).toHaveLength(1);
    expect(await audits(org.id, "billing.subscription_updated")).toHaveLength(1);
    const rows = await db().select().from(stripeEvents).where(eq(stripeEvents.id, evt.id));
    expect(rows).toMatchObject([{ type: "customer.subscription.updated", organizationId: org.id }]);
  });

  it("concurrent deliveries of one event apply it once", async () => {
    const { org, sub } = await paying("trialing");
    const evt = event("customer.subscription.created", { ...sub });
    const results = await Promise.all([deliver(evt), deliver(evt), deliver(evt)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.result).sort()).toEqual(["applied", "duplicate", "duplicate"]);
    expect(await audits(org.id, "billing.subscription_updated")).toHaveLength(1);
  });

  it("is order-independent: `updated` before `created` ends in Stripe's current state", async () => {
    const { org, customer, sub } = await paying("active", "price_pro_m");
    const created = event("customer.subscription.created", { ...sub, status: "incomplete", items: { data: [{ price: { id: "price_starter_m" } }] } });
    // Stripe's current state: upgraded to business, cancelling at period end.
    stubSubscription(stub, { id: sub.id, customer, price: "price_business_m", status: "active", cancelAtPeriodEnd: true });
    const updated = event("customer.subscription.updated", { ...stub.subscriptions.get(sub.id)! });
    expect((await deliver(updated)).status).toBe(200);
    expect((await deliver(created)).status).toBe(200);
    expect(await orgRow(org.id)).toMatchObject({ subscriptionPlan: "business", subscriptionStatus: "active", cancelAtPeriodEnd: true, stripeSubscriptionId: sub.id });
  });

  it("customer.subscription.deleted leaves the organization canceled (free)", async () => {
    const { org, customer, sub } = await paying("active");
    await deliver(event("customer.subscription.updated", { ...sub }));
    stubSubscription(stub, { id: sub.id, customer, price: "price_pro_m", status: "canceled" });
    const r = await deliver(event("customer.subscription.deleted", { ...stub.subscriptions.get(sub.id)! }));
    expect(r.body.result).toBe("applied");
    expect((await orgRow(org.id)).subscriptionStatus).toBe("canceled");
  });

  it("invoice.payment_failed stores the invoice and records past_due; invoice.paid clears it", async () => {
    const { org, customer, sub } = await paying("active");
    stubSubscription(stub, { id: sub.id, customer, price: "price_pro_m", status: "past_due" });
    const invoice = {
      id: `in_${randomBytes(6).toString("hex")}`,
      object: "invoice",
      customer,
      number: "PER-0001",
      status: "open",
      currency: "usd",
      amount_due: 2900,
      amount_paid: 0,
      period_start: now() - 86400,
      period_end: now(),
      hosted_invoice_url: "https://invoice.stripe.test/i/1",
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id } },
    };
    expect((await deliver(event("invoice.payment_failed", invoice))).status).toBe(200);
    const o = await orgRow(org.id);
    expect(o.subscriptionStatus).toBe("past_due");
    expect(o.pastDueSince).not.toBeNull();
    const [inv] = await db().select().from(billingInvoices).where(eq(billingInvoices.id, invoice.id));
    expect(inv).toMatchObject({
      organizationId: org.id,
      stripeCustomerId: customer,
      number: "PER-0001",
      status: "open",
      amountDue: 2900,
      amountPaid: 0,
      hostedInvoiceUrl: "https://invoice.stripe.test/i/1",
    });

    // A retry of the payment failing again keeps the grace's start.
    await deliver(event("invoice.payment_failed", invoice));
    expect((await orgRow(org.id)).pastDueSince!.getTime()).toBe(o.pastDueSince!.getTime());

    stubSubscription(stub, { id: sub.id, customer, price: "price_pro_m", status: "active" });
    await deliver(event("invoice.paid", { ...invoice, status: "paid", amount_paid: 2900 }));
    expect(await orgRow(org.id)).toMatchObject({ subscriptionStatus: "active", pastDueSince: null });
    // A late payment_failed does not turn the paid invoice back to open.
    await deliver(event("invoice.payment_failed", invoice));
    expect((await db().select().from(billingInvoices).where(eq(billingInvoices.id, invoice.id)))[0]).toMatchObject({ status: "paid", amountPaid: 2900 });
  });

  it("a tampered body, a stale timestamp, a missing or foreign signature → 400 naming why, nothing stored", async () => {
    const { org, sub } = await paying("active");
    const evt = event("customer.subscription.updated", { ...sub });
    const tampered = await deliver(evt, { body: (p) => p.replace('"active"', '"canceled"') });
    expect(tampered.status).toBe(400);
    expect(tampered.body.error!.message).toMatch(/Stripe signature verification failed/);
    const stale = await deliver(evt, { timestamp: now() - 301 });
    expect(stale.status).toBe(400);
    expect(stale.body.error!.message).toMatch(/timestamp outside the tolerance zone/i);
    const missing = await deliver(evt, { signature: null });
    expect(missing.status).toBe(400);
    expect(missing.body.error!.message).toMatch(/Missing the Stripe-Signature header/);
    const foreign = await deliver(evt, { signature: Stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(evt), secret: "whsec_someone_else" }) });
    expect(foreign.status).toBe(400);
    expect(await db().select().from(stripeEvents).where(eq(stripeEvents.id, evt.id))).toEqual([]);
    expect((await orgRow(org.id)).subscriptionStatus).toBeNull();
    // Within the tolerance it is accepted.
    expect((await deliver(evt, { timestamp: now() - 250 })).status).toBe(200);
  });

  it("a handler failing part-way commits nothing, and Stripe's retry then applies it", async () => {
    const { org, customer, sub } = await paying("past_due");
    const invoice = {
      id: `in_${randomBytes(6).toString("hex")}`,
      object: "invoice",
      customer,
      number: null,
      status: "open",
      currency: "eur",
      amount_due: 900,
      amount_paid: 0,
      period_start: now(),
      period_end: now(),
      parent: { subscription_details: { subscription: sub.id } },
    };
    const evt = event("invoice.payment_failed", invoice);
    // Every attempt stripe-node makes (it retries twice) fails.
    stub.failNext(subPath(sub.id), 500, 3);
    const failed = await deliver(evt);
    expect(failed.status).toBe(500);
    expect(failed.body.error!.code).toBe("internal_error");
    expect(await db().select().from(stripeEvents).where(eq(stripeEvents.id, evt.id))).toEqual([]);
    expect(await db().select().from(billingInvoices).where(eq(billingInvoices.id, invoice.id))).toEqual([]);
    expect((await orgRow(org.id)).subscriptionStatus).toBeNull();

    const retried = await deliver(evt);
    expect(retried.status).toBe(200);
    expect(retried.body.result).toBe("applied");
    expect((await orgRow(org.id)).subscriptionStatus).toBe("past_due");
    expect(await db().select().from(billingInvoices).where(eq(billingInvoices.id, invoice.id))).toHaveLength(1);
  });

  it("event types Perigee does not handle are answered 200 and not recorded; events for no organization are recorded and ignored", async () => {
    const other = event("customer.created", { id: "cus_whatever", object: "customer" });
    expect((await deliver(other)).body).toMatchObject({ received: true, result: "ignored" });
    expect(await db().select().from(stripeEvents).where(eq(stripeEvents.id, other.id))).toEqual([]);

    const stray = stubSubscription(stub, { customer: "cus_nobody", price: "price_pro_m", status: "active" });
    const evt = event("customer.subscription.created", { ...stray });
    expect((await deliver(evt)).body).toMatchObject({ result: "ignored", organizationId: null });
    expect(await db().select().from(stripeEvents).where(eq(stripeEvents.id, evt.id))).toHaveLength(1);
  });
});

describe("reconcileBilling", () => {
  it("re-reads every paying organization from Stripe, repairs drift once, audits it", async () => {
    const { org, customer, sub } = await paying("active", "price_pro_m");
    await deliver(event("customer.subscription.updated", { ...sub }));
    // A missed webhook: Stripe moved on, Perigee did not hear.
    stubSubscription(stub, { id: sub.id, customer, price: "price_pro_y", status: "active", cancelAtPeriodEnd: true });
    const first = await reconcileBilling();
    expect(first.repaired).toBeGreaterThanOrEqual(1);
    expect(await orgRow(org.id)).toMatchObject({ subscriptionPlan: "pro", subscriptionInterval: "year", cancelAtPeriodEnd: true });
    const [repair] = await audits(org.id, "billing.drift_repaired");
    expect(repair!.metadata).toMatchObject({ changes: { subscriptionInterval: { from: "month", to: "year" }, cancelAtPeriodEnd: { from: false, to: true } } });
    await reconcileBilling();
    expect(await audits(org.id, "billing.drift_repaired")).toHaveLength(1);
  });

  it("finds the subscription of an organization that only has a customer", async () => {
    const org = await createOrg("Customer Only");
    const customer = `cus_${randomBytes(6).toString("hex")}`;
    await db().update(organizations).set({ stripeCustomerId: customer }).where(eq(organizations.id, org.id));
    stubSubscription(stub, { customer, price: "price_starter_m", status: "canceled", created: now() - 1000 });
    const live = stubSubscription(stub, { customer, price: "price_business_m", status: "trialing", trialEnd: now() + 86400 });
    await reconcileBilling();
    expect(await orgRow(org.id)).toMatchObject({ stripeSubscriptionId: live.id, subscriptionPlan: "business", subscriptionStatus: "trialing" });
  });
});
