import { and, asc, count, desc, eq, gt, isNull, max, min, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { requirePermission } from "../../auth/permissions";
import { effectivePlan, type EffectivePlan } from "../../billing/effective";
import { LIMIT_LABELS, PAID_PLAN_IDS, PLANS, type LimitName, type PaidPlanId, type PlanLimits } from "../../billing/plans";
import { priceIdOf } from "../../billing/prices";
import { stripe } from "../../billing/stripe";
import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { billingInvoices, invitations, memberships, monitors, smsUsage, statusPages, type Organization } from "../../db/schema";
import { env } from "../../env";
import { log } from "../../log";
import { LIVE_SUBSCRIPTION, billingOrgOf, clickKey } from "./internal";

/**
 * One limit against what the organization uses. `used` is null for limits that are settings
 * rather than counts (retention, API rate). For the interval, "over" means a monitor checks
 * more often than the plan allows.
 */
export type LimitUsage = { name: LimitName; label: string; unit: string; used: number | null; allowed: number | null; over: boolean; atLimit: boolean };

export type InvoiceView = {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  amountDue: number;
  amountPaid: number;
  createdAt: string;
  periodEnd: string | null;
  url: string | null;
};

export type BillingDetails = {
  email: string | null;
  name: string | null;
  address: string[];
  taxIds: { type: string; value: string }[];
};

export type BillingOverview = {
  enabled: boolean;
  plan: { id: EffectivePlan["plan"]; name: string; source: EffectivePlan["source"]; graceEndsAt: string | null; compedUntil: string | null };
  limits: PlanLimits;
  usage: LimitUsage[];
  subscription: {
    plan: string | null;
    interval: string | null;
    status: string;
    /** A subscription to change in the Customer Portal (not to buy again). */
    live: boolean;
    currentPeriodEnd: string | null;
    cancelAtPeriodEnd: boolean;
    trialEndsAt: string | null;
    trialDaysLeft: number | null;
    pastDueSince: string | null;
  } | null;
  hasCustomer: boolean;
  /** Days of trial a first upgrade gets (0 once used). */
  trialDays: number;
  /** The plans for sale, with which intervals the operator has priced. */
  plans: { id: PaidPlanId; name: string; blurb: string; limits: PlanLimits; intervals: ("month" | "year")[] }[];
  nextInvoice: { amountDue: number; currency: string; date: string | null } | null;
  invoices: InvoiceView[];
  details: BillingDetails | null;
  /** With billing on: the monitors, for the choice of which keep running when a downgrade pauses some. */
  monitors: { id: string; name: string; keepOnDowngrade: boolean; pausedByPlan: boolean }[];
  /** Some of Stripe's figures could not be fetched just now; what is shown comes from Perigee's copy. */
  stripeUnavailable: boolean;
};

const DAY = 24 * 60 * 60 * 1000;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const fromUnix = (s: number | null | undefined) => (s ? new Date(s * 1000).toISOString() : null);

/** The first day of this UTC month, as sms_usage keys it. */
const monthStart = (now: Date) => `${now.toISOString().slice(0, 7)}-01`;

async function usageOf(organizationId: string, now: Date) {
  const d = db();
  const [[m], [p], [mem], [inv], [sms]] = await Promise.all([
    d
      .select({ n: count(), regions: max(sql<number>`cardinality(${monitors.regions})`), interval: min(monitors.intervalSeconds) })
      .from(monitors)
      .where(eq(monitors.organizationId, organizationId)),
    d.select({ n: count() }).from(statusPages).where(eq(statusPages.organizationId, organizationId)),
    d.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, organizationId)),
    d
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now))),
    d
      .select({ sent: smsUsage.sent })
      .from(smsUsage)
      .where(and(eq(smsUsage.organizationId, organizationId), eq(smsUsage.month, monthStart(now)))),
  ]);
  return {
    monitors: m?.n ?? 0,
    regions: Number(m?.regions ?? 0),
    minIntervalSeconds: m?.interval ?? null,
    statusPages: p?.n ?? 0,
    members: (mem?.n ?? 0) + (inv?.n ?? 0),
    smsPerMonth: sms?.sent ?? 0,
  };
}

function limitUsage(limits: PlanLimits, used: Awaited<ReturnType<typeof usageOf>>): LimitUsage[] {
  return (Object.keys(LIMIT_LABELS) as LimitName[]).map((name) => {
    const allowed: number | null = limits[name];
    const u = name in used ? used[name as keyof typeof used] : null;
    const { label, unit } = LIMIT_LABELS[name];
    if (name === "minIntervalSeconds") {
      // Lower is more: a monitor checking more often than the minimum is over the plan.
      const over = u !== null && allowed !== null && u < allowed;
      return { name, label, unit, used: u, allowed, over, atLimit: over || (u !== null && u === allowed) };
    }
    const over = u !== null && allowed !== null && u > allowed;
    // A limit of 0 (no SMS on Free) is "not included", not "at the limit".
    return { name, label, unit, used: u, allowed, over, atLimit: over || (u !== null && allowed !== null && allowed > 0 && u >= allowed) };
  });
}

function addressLines(a: Stripe.Address | null | undefined): string[] {
  if (!a) return [];
  return [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(" "), a.state, a.country].filter((x): x is string => !!x);
}

/** What Stripe says about the customer; each part tolerates Stripe being down (logged, then Perigee's copy). */
async function fromStripe(s: Stripe, org: Organization) {
  const customerId = org.stripeCustomerId!;
  const wantsPreview = !!org.stripeSubscriptionId && !org.cancelAtPeriodEnd && org.subscriptionStatus !== "canceled";
  // A page waits on these: a short timeout and one retry, then it renders without them.
  const quick = { timeout: 4000, maxNetworkRetries: 1 };
  const [customer, invoices, preview] = await Promise.allSettled([
    s.customers.retrieve(customerId, { expand: ["tax_ids"] }, quick),
    s.invoices.list({ customer: customerId, limit: 24 }, quick),
    wantsPreview ? s.invoices.createPreview({ customer: customerId, subscription: org.stripeSubscriptionId! }, { ...quick, idempotencyKey: clickKey("preview", customerId) }) : Promise.resolve(null),
  ]);
  for (const [what, r] of [
    ["customer", customer],
    ["invoices", invoices],
  ] as const) {
    if (r.status === "rejected") log.warn("billing overview: Stripe did not answer", { what, organizationId: org.id, error: String((r.reason as Error)?.message ?? r.reason) });
  }
  let details: BillingDetails | null = null;
  if (customer.status === "fulfilled" && !customer.value.deleted) {
    const c = customer.value;
    details = { email: c.email ?? null, name: c.name ?? null, address: addressLines(c.address), taxIds: (c.tax_ids?.data ?? []).map((t) => ({ type: t.type, value: t.value })) };
  }
  const list: InvoiceView[] | null =
    invoices.status === "fulfilled"
      ? invoices.value.data.map((i) => ({
          id: i.id ?? "",
          number: i.number ?? null,
          status: i.status ?? "draft",
          currency: i.currency,
          amountDue: i.amount_due,
          amountPaid: i.amount_paid,
          createdAt: fromUnix(i.created)!,
          periodEnd: fromUnix(i.period_end),
          url: i.hosted_invoice_url ?? null,
        }))
      : null;
  // No upcoming invoice (none due, or Stripe down) is not worth a warning: the page just omits it.
  const p = preview.status === "fulfilled" ? preview.value : null;
  const nextInvoice = p ? { amountDue: p.amount_due, currency: p.currency, date: fromUnix(p.next_payment_attempt ?? p.period_end) } : null;
  return { details, invoices: list, nextInvoice, unavailable: customer.status === "rejected" || invoices.status === "rejected" };
}

/**
 * Settings → Billing: the plan in force and why, usage against every limit, the subscription,
 * the next invoice, past invoices and the billing details kept on the Stripe customer. With
 * billing off: the self-hosted plan (the operator's limits) and usage, and no Stripe call.
 */
export async function getBillingOverview({ ctx }: { ctx: Ctx }): Promise<BillingOverview> {
  requirePermission(ctx, "billing:manage");
  const now = new Date();
  const org = await billingOrgOf(db(), ctx.org.id);
  const eff = effectivePlan(org, now);
  const used = await usageOf(org.id, now);
  const s = stripe();
  const base: BillingOverview = {
    enabled: !!s,
    plan: {
      id: eff.plan,
      name: PLANS[eff.plan].name,
      source: eff.source,
      graceEndsAt: iso(eff.graceEndsAt),
      compedUntil: eff.source === "comped" ? iso(org.planOverrideUntil) : null,
    },
    limits: eff.limits,
    usage: limitUsage(eff.limits, used),
    subscription: org.subscriptionStatus
      ? {
          plan: org.subscriptionPlan,
          interval: org.subscriptionInterval,
          status: org.subscriptionStatus,
          live: !!org.stripeSubscriptionId && LIVE_SUBSCRIPTION.has(org.subscriptionStatus),
          currentPeriodEnd: iso(org.currentPeriodEnd),
          cancelAtPeriodEnd: org.cancelAtPeriodEnd,
          trialEndsAt: iso(org.trialEndsAt),
          trialDaysLeft: org.subscriptionStatus === "trialing" && org.trialEndsAt ? Math.max(0, Math.ceil((org.trialEndsAt.getTime() - now.getTime()) / DAY)) : null,
          pastDueSince: iso(org.pastDueSince),
        }
      : null,
    hasCustomer: !!org.stripeCustomerId,
    trialDays: org.trialUsed ? 0 : env().BILLING_TRIAL_DAYS,
    plans: PAID_PLAN_IDS.map((id) => ({
      id,
      name: PLANS[id].name,
      blurb: PLANS[id].blurb,
      limits: PLANS[id].limits,
      intervals: (["month", "year"] as const).filter((i) => priceIdOf(id, i)),
    })),
    nextInvoice: null,
    invoices: [],
    details: null,
    monitors: [],
    stripeUnavailable: false,
  };
  if (!s) return base;
  base.monitors = await db()
    .select({ id: monitors.id, name: monitors.name, keepOnDowngrade: monitors.keepOnDowngrade, pausedByPlan: monitors.pausedByPlan })
    .from(monitors)
    .where(eq(monitors.organizationId, org.id))
    .orderBy(asc(monitors.name))
    .limit(2000);
  const local = await db().select().from(billingInvoices).where(eq(billingInvoices.organizationId, org.id)).orderBy(desc(billingInvoices.createdAt)).limit(24);
  const localInvoices: InvoiceView[] = local.map((i) => ({
    id: i.id,
    number: i.number,
    status: i.status,
    currency: i.currency,
    amountDue: i.amountDue,
    amountPaid: i.amountPaid,
    createdAt: i.createdAt.toISOString(),
    periodEnd: iso(i.periodEnd),
    url: i.hostedInvoiceUrl,
  }));
  if (!org.stripeCustomerId) return { ...base, invoices: localInvoices };
  const remote = await fromStripe(s, org);
  return { ...base, details: remote.details, invoices: remote.invoices ?? localInvoices, nextInvoice: remote.nextInvoice, stripeUnavailable: remote.unavailable };
}
