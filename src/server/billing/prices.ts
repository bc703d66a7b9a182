import { env } from "../env";
import { PAID_PLAN_IDS, type BillingInterval, type PaidPlanId } from "./plans";

/** The Stripe price of each paid plan and interval, from STRIPE_PRICE_<PLAN>_<MONTHLY|YEARLY>. */
export function priceIdOf(plan: PaidPlanId, interval: BillingInterval): string | null {
  const e = env();
  const key = `STRIPE_PRICE_${plan.toUpperCase()}_${interval === "month" ? "MONTHLY" : "YEARLY"}` as const;
  return (e[key as keyof typeof e] as string | undefined) ?? null;
}

/** Which plan and interval a Stripe price id sells, or null for a price Perigee does not know. */
export function planOfPrice(priceId: string): { plan: PaidPlanId; interval: BillingInterval } | null {
  for (const plan of PAID_PLAN_IDS) for (const interval of ["month", "year"] as const) if (priceIdOf(plan, interval) === priceId) return { plan, interval };
  return null;
}
