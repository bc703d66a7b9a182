import { env } from "../env";
import { PLANS, isPaidPlanId, isPlanId, type PlanId, type PlanLimits } from "./plans";

/** The billing columns of an organization that decide its plan. */
export type BillingState = {
  maxMonitors: number | null;
  minIntervalSeconds: number | null;
  planOverride: string | null;
  planOverrideUntil: Date | null;
  subscriptionPlan: string | null;
  subscriptionStatus: string | null;
  pastDueSince: Date | null;
};

export type EffectivePlan = {
  plan: PlanId;
  limits: PlanLimits;
  /** Why this plan applies. */
  source: "self-hosted" | "comped" | "subscription" | "grace" | "free";
  /** During a past_due grace: when the organization falls to free. */
  graceEndsAt: Date | null;
};

export function billingEnabled(): boolean {
  return !!env().STRIPE_SECRET_KEY;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The plan an organization is on now. Pure: the one rule, read by limits, the billing page and
 * downgrade enforcement. Billing off → self-hosted. A comped plan wins while it lasts; then a
 * trialing/active subscription; past_due keeps its plan for BILLING_GRACE_DAYS; anything else is
 * free. The operator's `org:limits` overrides apply on top of whichever plan.
 */
export function effectivePlan(org: BillingState, now = new Date(), enabled = billingEnabled()): EffectivePlan {
  const e = env();
  const pick = (plan: PlanId, source: EffectivePlan["source"], graceEndsAt: Date | null = null): EffectivePlan => {
    const base: PlanLimits = { ...PLANS[plan].limits };
    if (plan === "self-hosted") {
      base.retentionDays = e.RETENTION_DAYS;
      base.apiRequestsPerMinute = e.API_RATE_LIMIT_PER_MINUTE;
    }
    if (org.maxMonitors !== null) base.monitors = org.maxMonitors;
    if (org.minIntervalSeconds !== null) base.minIntervalSeconds = org.minIntervalSeconds;
    return { plan, limits: base, source, graceEndsAt };
  };
  if (!enabled) return pick("self-hosted", "self-hosted");
  if (isPlanId(org.planOverride) && (!org.planOverrideUntil || org.planOverrideUntil > now)) return pick(org.planOverride, "comped");
  if (isPaidPlanId(org.subscriptionPlan)) {
    if (org.subscriptionStatus === "trialing" || org.subscriptionStatus === "active") return pick(org.subscriptionPlan, "subscription");
    if (org.subscriptionStatus === "past_due") {
      const graceEndsAt = new Date((org.pastDueSince ?? now).getTime() + e.BILLING_GRACE_DAYS * DAY);
      if (graceEndsAt > now) return pick(org.subscriptionPlan, "grace", graceEndsAt);
    }
  }
  return pick("free", "free");
}
