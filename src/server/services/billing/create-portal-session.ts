import { requirePermission } from "../../auth/permissions";
import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { Conflict } from "../../errors";
import { recordAudit } from "../audit/record";
import { billingOrgOf, billingPageUrl, clickKey, requireStripe } from "./internal";

/**
 * Opens Stripe's Customer Portal for the organization's customer: change plan or interval,
 * cancel at period end, update the payment method, billing details and tax id, and download
 * invoices. Card data stays with Stripe.
 */
export async function createPortalSession({ ctx }: { ctx: Ctx }): Promise<{ url: string }> {
  requirePermission(ctx, "billing:manage");
  const s = requireStripe();
  const org = await billingOrgOf(db(), ctx.org.id);
  if (!org.stripeCustomerId) throw new Conflict(`${ctx.org.name} has no billing account yet: choose a plan to upgrade first.`);
  const session = await s.billingPortal.sessions.create({ customer: org.stripeCustomerId, return_url: billingPageUrl() }, { idempotencyKey: clickKey("portal", org.id, ctx.actor.userId) });
  await recordAudit(db(), {
    organizationId: org.id,
    actorUserId: ctx.actor.userId,
    action: "billing.portal_opened",
    targetType: "stripe_customer",
    targetId: org.stripeCustomerId,
    meta: ctx.meta,
  });
  return { url: session.url };
}
