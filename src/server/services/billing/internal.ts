import { and, eq, isNull } from "drizzle-orm";
import type Stripe from "stripe";
import { stripe } from "../../billing/stripe";
import { db, type DbOrTx } from "../../db/client";
import { organizations, type Organization } from "../../db/schema";
import { env } from "../../env";
import { Conflict, NotFound } from "../../errors";
import type { Ctx } from "../../context";
import { recordAudit } from "../audit/record";

export const BILLING_OFF_MESSAGE = "Billing is not enabled on this install: it runs self-hosted, with no plans to buy.";

/** The Stripe client, or Conflict with billing off — before anything is sent anywhere. */
export function requireStripe(): Stripe {
  const s = stripe();
  if (!s) throw new Conflict(BILLING_OFF_MESSAGE);
  return s;
}

export async function billingOrgOf(tx: DbOrTx, organizationId: string): Promise<Organization> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw new NotFound("No such organization");
  return org;
}

/** Where Stripe's hosted pages send the browser back to. */
export function billingPageUrl(query = ""): string {
  return `${env().APP_URL}/settings/billing${query}`;
}

/**
 * The idempotency key of a Stripe POST made for a person's click: the operation, its
 * parameters and the current minute. A double-click (or a retried request) within the minute
 * sends the same key, so Stripe answers with the same object instead of making a second one.
 */
export function clickKey(...parts: string[]): string {
  return [...parts, Math.floor(Date.now() / 60_000)].join("-");
}

/** Stripe statuses of a subscription the organization still has (changed in the portal, not bought again). */
export const LIVE_SUBSCRIPTION = new Set(["trialing", "active", "past_due", "unpaid", "incomplete", "paused"]);

/**
 * The organization's Stripe customer, created on first need (and audited). The idempotency key
 * is the organization's: concurrent first upgrades get the same customer from Stripe, and the
 * id is stored once.
 */
export async function ensureCustomer(s: Stripe, org: Organization, ctx: Ctx): Promise<string> {
  if (org.stripeCustomerId) return org.stripeCustomerId;
  const c = await s.customers.create({ email: ctx.actor.email, name: org.name, metadata: { organizationId: org.id } }, { idempotencyKey: `customer-${org.id}` });
  return db().transaction(async (tx) => {
    const [stored] = await tx
      .update(organizations)
      .set({ stripeCustomerId: c.id, updatedAt: new Date() })
      .where(and(eq(organizations.id, org.id), isNull(organizations.stripeCustomerId)))
      .returning({ id: organizations.stripeCustomerId });
    if (!stored) return (await billingOrgOf(tx, org.id)).stripeCustomerId ?? c.id;
    await recordAudit(tx, { organizationId: org.id, actorUserId: ctx.actor.userId, action: "billing.customer_created", targetType: "stripe_customer", targetId: c.id, meta: ctx.meta });
    return c.id;
  });
}
