import { eq, ne } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import type { RequestMeta } from "../context";
import { db, type Tx } from "../db/client";
import { billingInvoices, organizations, stripeEvents, type Organization } from "../db/schema";
import { env } from "../env";
import { Invalid } from "../errors";
import { JOBS, MAINTENANCE_QUEUE, jobOptions, type JobPayload } from "../jobs/catalog";
import { log } from "../log";
import { sharedQueue } from "../monitors/schedule";
import { recordAudit } from "../services/audit/record";
import { stripe } from "./stripe";
import { applySubscription } from "./sync";

/** Stripe's own default: a signature older than this is a replay. */
const TOLERANCE_SECONDS = 300;

const HANDLED = new Set(["checkout.session.completed", "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed"]);

type WebhookOutcome = { eventId: string; type: string; result: "applied" | "duplicate" | "ignored"; organizationId: string | null };

const uuid = z.uuid();
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : (v?.id ?? null));
const fromUnix = (s: number | null | undefined) => (typeof s === "number" ? new Date(s * 1000) : null);

/** The subscription an invoice belongs to (API 2025+: under parent.subscription_details). */
function subscriptionOfInvoice(inv: Stripe.Invoice): string | null {
  return idOf(inv.parent?.subscription_details?.subscription) ?? idOf((inv as unknown as { subscription?: string | null }).subscription);
}

/**
 * The subscription as Stripe has it now: events may arrive late and out of order, so their own
 * copy is never applied. A deleted subscription's event is final, so it stands in if Stripe no
 * longer answers for it.
 */
async function currentSubscription(client: Stripe, id: string, fallback: Stripe.Subscription | null): Promise<Stripe.Subscription> {
  try {
    return await client.subscriptions.retrieve(id);
  } catch (err) {
    if (fallback && (err as { statusCode?: number }).statusCode === 404) return fallback;
    throw err;
  }
}

/** The organization an object belongs to, row-locked: by Stripe customer first, then by the id Perigee put in metadata. */
async function organizationFor(tx: Tx, customerId: string | null, organizationId: string | null | undefined): Promise<Organization | null> {
  if (customerId) {
    const [byCustomer] = await tx.select().from(organizations).where(eq(organizations.stripeCustomerId, customerId)).for("update");
    if (byCustomer) return byCustomer;
  }
  if (!organizationId || !uuid.safeParse(organizationId).success) return null;
  const [byId] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for("update");
  // Never re-point an organization that already has another customer.
  if (!byId || (customerId && byId.stripeCustomerId && byId.stripeCustomerId !== customerId)) return null;
  return byId;
}

/** The Stripe objects an event needs, fetched before the transaction (no row is locked while Stripe answers). */
async function prefetch(client: Stripe, event: Stripe.Event): Promise<Stripe.Subscription | null> {
  const obj = event.data.object as unknown;
  switch (event.type) {
    case "checkout.session.completed": {
      const id = idOf((obj as Stripe.Checkout.Session).subscription);
      return id ? currentSubscription(client, id, null) : null;
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const sub = obj as Stripe.Subscription;
      return currentSubscription(client, sub.id, event.type === "customer.subscription.deleted" ? sub : null);
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const id = subscriptionOfInvoice(obj as Stripe.Invoice);
      return id ? currentSubscription(client, id, null) : null;
    }
    default:
      return null;
  }
}

async function upsertInvoice(tx: Tx, organizationId: string, inv: Stripe.Invoice): Promise<void> {
  const row = {
    organizationId,
    stripeCustomerId: idOf(inv.customer) ?? "",
    number: inv.number ?? null,
    status: inv.status ?? "open",
    currency: inv.currency,
    amountDue: inv.amount_due,
    amountPaid: inv.amount_paid,
    periodStart: fromUnix(inv.period_start),
    periodEnd: fromUnix(inv.period_end),
    hostedInvoiceUrl: inv.hosted_invoice_url ?? null,
    updatedAt: new Date(),
  };
  await tx
    .insert(billingInvoices)
    .values({ id: inv.id!, ...row })
    // A late payment_failed must not turn a paid invoice back to open: paid is final.
    .onConflictDoUpdate({ target: billingInvoices.id, set: row, setWhere: ne(billingInvoices.status, "paid") });
}

/** Applies one verified event inside `tx`; returns the organization it concerned (null: none of ours). */
async function apply(tx: Tx, event: Stripe.Event, sub: Stripe.Subscription | null, meta: RequestMeta): Promise<string | null> {
  const how = { source: "webhook" as const, eventId: event.id, meta };
  const obj = event.data.object as unknown;
  if (event.type === "checkout.session.completed") {
    const session = obj as Stripe.Checkout.Session;
    const customerId = idOf(session.customer);
    const org = await organizationFor(tx, customerId, session.client_reference_id ?? session.metadata?.organizationId);
    if (!org) return null;
    const set = { stripeCustomerId: customerId ?? org.stripeCustomerId, stripeSubscriptionId: sub?.id ?? org.stripeSubscriptionId, trialUsed: true };
    await tx
      .update(organizations)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(organizations.id, org.id));
    await recordAudit(tx, {
      organizationId: org.id,
      actorUserId: null,
      action: "billing.checkout_completed",
      targetType: "checkout_session",
      targetId: session.id,
      metadata: { eventId: event.id, customerId, subscriptionId: sub?.id ?? null },
      meta,
    });
    Object.assign(org, set);
    if (sub) await applySubscription(tx, org, sub, how);
    return org.id;
  }
  if (event.type.startsWith("invoice.")) {
    const inv = obj as Stripe.Invoice;
    const org = await organizationFor(tx, idOf(inv.customer), sub?.metadata?.organizationId);
    // Another product's invoice on a shared Stripe account is none of ours.
    if (!org) return null;
    await upsertInvoice(tx, org.id, inv);
    if (sub) await applySubscription(tx, org, sub, how);
    return org.id;
  }
  // customer.subscription.*
  if (!sub) return null;
  const org = await organizationFor(tx, idOf(sub.customer), sub.metadata?.organizationId);
  if (!org) return null;
  await applySubscription(tx, org, sub, how);
  return org.id;
}

/** Verifies the signature on the raw body (300 s tolerance); a bad one is a 400 naming why. */
function verify(client: Stripe, rawBody: string, signature: string | null): Stripe.Event {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Invalid("Billing webhooks are off on this install: STRIPE_WEBHOOK_SECRET is not set.");
  if (!signature) throw new Invalid("Missing the Stripe-Signature header: only Stripe may call this endpoint.");
  try {
    return client.webhooks.constructEvent(rawBody, signature, secret, TOLERANCE_SECONDS);
  } catch (err) {
    throw new Invalid(`Stripe signature verification failed: ${(err as Error).message}`);
  }
}

/**
 * A Stripe webhook delivery. The event id goes into stripe_events in the same transaction as
 * the event's effect: a redelivery (or a concurrent duplicate, which waits on the key) changes
 * nothing, and a failure part-way commits nothing, so Stripe's retry applies it whole. Events
 * Perigee does not handle are answered 200 and not recorded (they have no effect to guard).
 * Slow follow-ups (emails, pausing monitors) are queued as a billingApply job.
 */
export async function handleStripeWebhook({ rawBody, signature, meta }: { rawBody: string; signature: string | null; meta: RequestMeta }): Promise<WebhookOutcome> {
  const client = stripe();
  if (!client) throw new Invalid("Billing is off on this install (STRIPE_SECRET_KEY is not set), so Stripe webhooks are not accepted.");
  const event = verify(client, rawBody, signature);
  const base = { eventId: event.id, type: event.type };
  if (!HANDLED.has(event.type)) return { ...base, result: "ignored", organizationId: null };
  const [seen] = await db().select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  if (seen) return { ...base, result: "duplicate", organizationId: null };

  const sub = await prefetch(client, event);
  const out = await db().transaction(async (tx) => {
    const [claimed] = await tx.insert(stripeEvents).values({ id: event.id, type: event.type }).onConflictDoNothing().returning({ id: stripeEvents.id });
    if (!claimed) return { result: "duplicate" as const, organizationId: null };
    const organizationId = await apply(tx, event, sub, meta);
    if (organizationId) await tx.update(stripeEvents).set({ organizationId }).where(eq(stripeEvents.id, event.id));
    else log.warn("billing: a Stripe event matched no organization; recorded and ignored", { eventId: event.id, type: event.type });
    return { result: organizationId ? ("applied" as const) : ("ignored" as const), organizationId };
  });
  if (out.organizationId) await queueBillingApply(out.organizationId, event.id);
  return { ...base, ...out };
}

/** Best effort: if Redis is down the hourly billingEnforce job does the same. */
async function queueBillingApply(organizationId: string, eventId: string): Promise<void> {
  try {
    await sharedQueue(MAINTENANCE_QUEUE).add(JOBS.billingApply.name, { organizationId } satisfies JobPayload<"billingApply">, { ...jobOptions("billingApply"), jobId: `billing-apply-${eventId}` });
  } catch (err) {
    log.warn("billing: could not queue the follow-up job; the hourly enforcement will do it", { organizationId, err: (err as Error).message });
  }
}
