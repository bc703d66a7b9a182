import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { RequestMeta } from "../context";
import type { Tx } from "../db/client";
import { organizations, type Organization } from "../db/schema";
import { log } from "../log";
import { recordAudit } from "../services/audit/record";
import { planOfPrice } from "./prices";

/** The organization columns a Stripe subscription decides. */
const SYNCED = [
  "stripeCustomerId",
  "stripeSubscriptionId",
  "subscriptionPlan",
  "subscriptionInterval",
  "subscriptionStatus",
  "currentPeriodEnd",
  "cancelAtPeriodEnd",
  "trialEndsAt",
  "pastDueSince",
  "trialUsed",
] as const;
type Synced = Pick<Organization, (typeof SYNCED)[number]>;

/** What changed, column by column (JSON-friendly, for the audit log). */
type SubscriptionChanges = Partial<Record<(typeof SYNCED)[number], { from: unknown; to: unknown }>>;

/** Statuses after which a subscription never comes back: a late event about one must not replace a newer subscription. */
const ENDED = new Set(["canceled", "incomplete_expired"]);

const fromUnix = (s: number | null | undefined) => (typeof s === "number" ? new Date(s * 1000) : null);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === "string" ? v : (v?.id ?? null));
const jsonOf = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** The organization columns a subscription implies, given what the organization holds now. */
function columnsOf(org: Organization, sub: Stripe.Subscription): Synced {
  const item = sub.items?.data?.[0];
  const priceId = item?.price?.id ?? null;
  const priced = priceId ? planOfPrice(priceId) : null;
  if (priceId && !priced) log.warn("billing: subscription price is not one of STRIPE_PRICE_*; the organization is treated as free", { organizationId: org.id, subscriptionId: sub.id, priceId });
  // Since API 2025-03-31 the period lives on the items; older payloads still carry it on the subscription.
  const periodEnd = item?.current_period_end ?? (sub as unknown as { current_period_end?: number }).current_period_end;
  return {
    stripeCustomerId: idOf(sub.customer) ?? org.stripeCustomerId,
    stripeSubscriptionId: sub.id,
    subscriptionPlan: priced?.plan ?? null,
    subscriptionInterval: priced?.interval ?? null,
    subscriptionStatus: sub.status,
    currentPeriodEnd: fromUnix(periodEnd),
    cancelAtPeriodEnd: sub.cancel_at_period_end || sub.cancel_at != null,
    trialEndsAt: fromUnix(sub.trial_end),
    // The grace period counts from the first time it went past_due, not from each retry.
    pastDueSince: sub.status === "past_due" ? (org.pastDueSince ?? new Date()) : null,
    trialUsed: org.trialUsed || sub.trial_start != null,
  };
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return a === b;
}

type SyncSource = { source: "webhook" | "reconcile"; eventId?: string; meta: RequestMeta };

/**
 * Writes what Stripe says about a subscription onto its organization (in the caller's
 * transaction, with the organization row locked by the caller) and audits the change. Always
 * applies the subscription as fetched from Stripe, never an event's copy, so events applied in
 * any order end in Stripe's current state. Returns the columns that changed (empty: no drift).
 */
export async function applySubscription(tx: Tx, org: Organization, sub: Stripe.Subscription, how: SyncSource): Promise<SubscriptionChanges> {
  if (org.stripeSubscriptionId && org.stripeSubscriptionId !== sub.id && ENDED.has(sub.status)) {
    log.info("billing: ignoring an ended subscription that is not the organization's current one", { organizationId: org.id, subscriptionId: sub.id });
    return {};
  }
  const next = columnsOf(org, sub);
  const changes: SubscriptionChanges = {};
  for (const k of SYNCED) if (!same(org[k], next[k])) changes[k] = { from: jsonOf(org[k]), to: jsonOf(next[k]) };
  if (Object.keys(changes).length === 0) return changes;
  await tx
    .update(organizations)
    .set({ ...next, updatedAt: new Date() })
    .where(eq(organizations.id, org.id));
  await recordAudit(tx, {
    organizationId: org.id,
    actorUserId: null,
    action: how.source === "reconcile" ? "billing.drift_repaired" : "billing.subscription_updated",
    targetType: "subscription",
    targetId: sub.id,
    metadata: { changes, status: sub.status, ...(how.eventId ? { eventId: how.eventId } : {}) },
    meta: how.meta,
  });
  Object.assign(org, next);
  return changes;
}
