import { z } from "zod";
import { BILLING_INTERVALS, PAID_PLAN_IDS } from "../billing/plans";

/** What an upgrade asks Stripe Checkout for: a paid plan and how often it is billed. */
export const checkoutInputSchema = z.strictObject({
  plan: z.enum(PAID_PLAN_IDS, { error: "Choose Starter, Pro or Business" }),
  interval: z.enum(BILLING_INTERVALS, { error: "Choose monthly or yearly billing" }),
});

/** The monitors an ADMIN keeps running when a downgrade pauses the ones beyond the plan. */
export const downgradeKeepInputSchema = z.strictObject({
  monitorIds: z.array(z.uuid({ error: "Not a monitor id" })).max(1000),
});
