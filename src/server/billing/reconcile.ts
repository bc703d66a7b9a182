import { and, eq, isNull, isNotNull, or } from "drizzle-orm";
import type Stripe from "stripe";
import { db } from "../db/client";
import { organizations, type Organization } from "../db/schema";
import { log } from "../log";
import { applyBillingState } from "./enforce";
import { stripe } from "./stripe";
import { applySubscription } from "./sync";

/** Which of a customer's subscriptions is the organization's: a live one first, else the newest. */
const LIVE = ["active", "trialing", "past_due", "unpaid", "incomplete", "paused"];

async function subscriptionOf(client: Stripe, org: Organization): Promise<Stripe.Subscription | null> {
  if (org.stripeSubscriptionId) return client.subscriptions.retrieve(org.stripeSubscriptionId);
  const list = await client.subscriptions.list({ customer: org.stripeCustomerId!, status: "all", limit: 20 });
  const subs = [...list.data].sort((a, b) => b.created - a.created);
  return subs.find((s) => LIVE.includes(s.status)) ?? subs[0] ?? null;
}

/**
 * Daily (and `npm run cli -- billing:reconcile`): re-reads every paying organization's
 * subscription from Stripe and re-applies it, as a missed or failed webhook would have. Any
 * column that changes is drift: repaired, logged and audited ("billing.drift_repaired"), and
 * the organization's plan enforced. One organization failing does not stop the others.
 */
export async function reconcileBilling(): Promise<{ checked: number; repaired: number; failed: number }> {
  const client = stripe();
  if (!client) return { checked: 0, repaired: 0, failed: 0 };
  const paying = await db()
    .select()
    .from(organizations)
    .where(and(isNull(organizations.deletedAt), or(isNotNull(organizations.stripeSubscriptionId), isNotNull(organizations.stripeCustomerId))));
  let repaired = 0;
  let failed = 0;
  for (const candidate of paying) {
    try {
      const sub = await subscriptionOf(client, candidate);
      if (!sub) continue;
      const changes = await db().transaction(async (tx) => {
        const [org] = await tx.select().from(organizations).where(eq(organizations.id, candidate.id)).for("update");
        return org ? applySubscription(tx, org, sub, { source: "reconcile", meta: { ip: null, userAgent: "perigee-reconcile" } }) : {};
      });
      if (Object.keys(changes).length === 0) continue;
      repaired++;
      log.warn("billing: repaired drift from Stripe", { organizationId: candidate.id, subscriptionId: sub.id, fields: Object.keys(changes) });
      await applyBillingState(candidate.id);
    } catch (err) {
      failed++;
      log.error("billing: reconciling an organization with Stripe failed", { organizationId: candidate.id, err });
    }
  }
  const out = { checked: paying.length, repaired, failed };
  log.info("billing: reconciliation done", out);
  return out;
}
