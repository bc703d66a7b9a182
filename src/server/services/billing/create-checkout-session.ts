import { requirePermission } from "../../auth/permissions";
import { PLANS } from "../../billing/plans";
import { priceIdOf } from "../../billing/prices";
import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { env } from "../../env";
import { Conflict, Invalid } from "../../errors";
import { parseInput } from "../../lib/parse";
import { checkoutInputSchema } from "../../validation/billing";
import { recordAudit } from "../audit/record";
import { LIVE_SUBSCRIPTION, billingOrgOf, billingPageUrl, clickKey, ensureCustomer, requireStripe } from "./internal";

/**
 * Starts an upgrade: a Stripe Checkout session for a paid plan, monthly or yearly, for the
 * organization's Stripe customer (created on the first upgrade and reused after). The trial is
 * offered only while the organization has never had one. An organization that already has a
 * subscription changes plan in the Customer Portal instead, so it never pays twice.
 */
export async function createCheckoutSession({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ url: string; sessionId: string }> {
  requirePermission(ctx, "billing:manage");
  const s = requireStripe();
  const d = parseInput(checkoutInputSchema, input);
  const price = priceIdOf(d.plan, d.interval);
  if (!price) {
    const name = `STRIPE_PRICE_${d.plan.toUpperCase()}_${d.interval === "month" ? "MONTHLY" : "YEARLY"}`;
    throw new Invalid(`${PLANS[d.plan].name} ${d.interval === "month" ? "monthly" : "yearly"} is not for sale on this install: the operator has not set ${name}.`);
  }
  const org = await billingOrgOf(db(), ctx.org.id);
  if (org.stripeSubscriptionId && org.subscriptionStatus && LIVE_SUBSCRIPTION.has(org.subscriptionStatus)) {
    throw new Conflict(`${ctx.org.name} already has a subscription (${org.subscriptionPlan ?? "paid plan"}, ${org.subscriptionStatus}). Change plan, interval or payment method with Manage billing.`);
  }
  const customer = await ensureCustomer(s, org, ctx);
  const trialDays = !org.trialUsed && env().BILLING_TRIAL_DAYS > 0 ? env().BILLING_TRIAL_DAYS : null;
  const session = await s.checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      client_reference_id: org.id,
      line_items: [{ price, quantity: 1 }],
      subscription_data: { metadata: { organizationId: org.id }, ...(trialDays ? { trial_period_days: trialDays } : {}) },
      metadata: { organizationId: org.id, plan: d.plan, interval: d.interval },
      success_url: billingPageUrl("?checkout=success"),
      cancel_url: billingPageUrl("?checkout=cancelled"),
      billing_address_collection: "required",
      tax_id_collection: { enabled: true },
      // With an existing customer, Checkout may only collect a tax id and address it can save back.
      customer_update: { name: "auto", address: "auto" },
      allow_promotion_codes: true,
    },
    // Same organization, plan, interval and trial within the minute → the same session (a double-click opens one Checkout).
    { idempotencyKey: clickKey("checkout", org.id, d.plan, d.interval, trialDays ? "trial" : "no-trial") },
  );
  if (!session.url) throw new Error(`Stripe answered checkout session ${session.id} without a URL`);
  await recordAudit(db(), {
    organizationId: org.id,
    actorUserId: ctx.actor.userId,
    action: "billing.checkout_started",
    targetType: "stripe_checkout_session",
    targetId: session.id,
    metadata: { plan: d.plan, interval: d.interval, price, trialDays },
    meta: ctx.meta,
  });
  return { url: session.url, sessionId: session.id };
}
