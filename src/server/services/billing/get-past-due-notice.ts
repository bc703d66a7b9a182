import { requirePermission } from "../../auth/permissions";
import { billingEnabled, effectivePlan } from "../../billing/effective";
import { PLANS, isPlanId } from "../../billing/plans";
import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { billingOrgOf } from "./internal";

export type PastDueNotice = { plan: string; graceEndsAt: string | null };

/**
 * For the dashboard's banner: the organization's payment failed. During the grace period the
 * plan is kept until graceEndsAt; after it (graceEndsAt null) the organization is on Free until
 * Stripe collects. Null when nothing is overdue or billing is off (then no query is made).
 */
export async function getPastDueNotice({ ctx }: { ctx: Ctx }): Promise<PastDueNotice | null> {
  requirePermission(ctx, "billing:manage");
  if (!billingEnabled()) return null;
  const org = await billingOrgOf(db(), ctx.org.id);
  if (org.subscriptionStatus !== "past_due" && org.subscriptionStatus !== "unpaid") return null;
  const eff = effectivePlan(org);
  if (eff.source === "comped") return null;
  const paid = isPlanId(org.subscriptionPlan) ? PLANS[org.subscriptionPlan].name : "your plan";
  return { plan: paid, graceEndsAt: eff.source === "grace" && eff.graceEndsAt ? eff.graceEndsAt.toISOString() : null };
}
