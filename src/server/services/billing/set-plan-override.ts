import { eq } from "drizzle-orm";
import { z } from "zod";
import type { RequestMeta } from "../../context";
import { db } from "../../db/client";
import { organizations } from "../../db/schema";
import { billingEnabled, effectivePlan } from "../../billing/effective";
import { applyBillingState } from "../../billing/enforce";
import { Invalid, NotFound, fieldErrorsFrom } from "../../errors";
import { recordAudit } from "../audit/record";

const input = z.object({
  organizationSlug: z.string().min(1),
  plan: z.enum(["free", "starter", "pro", "business", "none"], { error: "Choose free, starter, pro, business, or none to remove the comp" }),
  /** A date (UTC midnight) or instant; omitted = no end. */
  until: z.coerce
    .date({ error: "Give the end as a date such as 2027-01-31" })
    .refine((d) => d > new Date(), "The end must be in the future")
    .optional(),
});

/**
 * The operator comps a plan (CLI `org:plan`): it applies instead of any subscription until
 * `until` (or for good), `none` removes it. Audited, then the organization's plan is enforced
 * at once (a comp below its usage pauses monitors like any downgrade).
 */
export async function setPlanOverride({ input: raw, meta }: { input: unknown; meta: RequestMeta }) {
  const parsed = input.safeParse(raw);
  if (!parsed.success) throw new Invalid("The comped plan is invalid.", fieldErrorsFrom(parsed.error.issues));
  const { organizationSlug, plan, until } = parsed.data;
  const org = await db().transaction(async (tx) => {
    const [current] = await tx.select().from(organizations).where(eq(organizations.slug, organizationSlug)).for("update");
    if (!current) throw new NotFound(`No organization with slug ${organizationSlug}`);
    const set = { planOverride: plan === "none" ? null : plan, planOverrideUntil: plan === "none" ? null : (until ?? null) };
    const [row] = await tx
      .update(organizations)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(organizations.id, current.id))
      .returning();
    await recordAudit(tx, {
      organizationId: current.id,
      actorUserId: null,
      action: plan === "none" ? "billing.plan_override_removed" : "billing.plan_override_set",
      targetType: "organization",
      targetId: current.id,
      metadata: {
        from: { plan: current.planOverride, until: current.planOverrideUntil?.toISOString() ?? null },
        to: { plan: set.planOverride, until: set.planOverrideUntil?.toISOString() ?? null },
        by: "operator",
      },
      meta,
    });
    return row!;
  });
  const { enforced } = await applyBillingState(org.id);
  const eff = effectivePlan(org);
  return {
    organization: { id: org.id, slug: org.slug, name: org.name },
    planOverride: org.planOverride,
    planOverrideUntil: org.planOverrideUntil?.toISOString() ?? null,
    effectivePlan: eff.plan,
    source: eff.source,
    changes: enforced?.changes.length ?? 0,
    ...(billingEnabled() ? {} : { note: "Billing is off (no STRIPE_SECRET_KEY): every organization is self-hosted; the comp applies once billing is on." }),
  };
}
