/**
 * The plans: the one source of every limit (services, dashboard, API errors, docs). Billing
 * only moves an organization between them (billing/effective.ts decides which applies).
 * `null` means unlimited. With billing off (no STRIPE_SECRET_KEY) every organization is on
 * "self-hosted": unlimited, except what the operator's `org:limits` sets and the retention
 * and API rate the environment configures.
 */
export const PLAN_IDS = ["free", "starter", "pro", "business", "self-hosted"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** The plans a customer can buy, cheapest first. */
export const PAID_PLAN_IDS = ["starter", "pro", "business"] as const;
export type PaidPlanId = (typeof PAID_PLAN_IDS)[number];
export const BILLING_INTERVALS = ["month", "year"] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

export type PlanLimits = {
  monitors: number | null;
  minIntervalSeconds: number;
  /** Check regions per monitor. */
  regions: number | null;
  statusPages: number | null;
  /** Members, pending invitations included. */
  members: number | null;
  /** Days raw results, rollups, incidents and events are kept. */
  retentionDays: number;
  smsPerMonth: number | null;
  apiRequestsPerMinute: number;
};

export type LimitName = keyof PlanLimits;

export type Plan = { id: PlanId; name: string; blurb: string; limits: PlanLimits };

export const PLANS = {
  free: {
    id: "free",
    name: "Free",
    blurb: "10 monitors every 3 minutes from one region",
    limits: { monitors: 10, minIntervalSeconds: 180, regions: 1, statusPages: 1, members: 2, retentionDays: 30, smsPerMonth: 0, apiRequestsPerMinute: 60 },
  },
  starter: {
    id: "starter",
    name: "Starter",
    blurb: "50 monitors every minute from two regions",
    limits: { monitors: 50, minIntervalSeconds: 60, regions: 2, statusPages: 3, members: 5, retentionDays: 90, smsPerMonth: 50, apiRequestsPerMinute: 300 },
  },
  pro: {
    id: "pro",
    name: "Pro",
    blurb: "250 monitors every 30 seconds from four regions",
    limits: { monitors: 250, minIntervalSeconds: 30, regions: 4, statusPages: 10, members: 20, retentionDays: 365, smsPerMonth: 200, apiRequestsPerMinute: 600 },
  },
  business: {
    id: "business",
    name: "Business",
    blurb: "1,000 monitors every 30 seconds from every region",
    limits: { monitors: 1000, minIntervalSeconds: 30, regions: null, statusPages: 50, members: 100, retentionDays: 365, smsPerMonth: 1000, apiRequestsPerMinute: 1200 },
  },
  "self-hosted": {
    id: "self-hosted",
    name: "Self-hosted",
    blurb: "No limits beyond what the operator sets",
    // retentionDays and apiRequestsPerMinute are replaced from the environment (billing/effective.ts).
    limits: { monitors: null, minIntervalSeconds: 30, regions: null, statusPages: null, members: null, retentionDays: 365, smsPerMonth: null, apiRequestsPerMinute: 600 },
  },
} as const satisfies Record<PlanId, Plan>;

/** How each limit is named to people (dashboard, API error messages, docs). */
export const LIMIT_LABELS: Record<LimitName, { label: string; unit: string }> = {
  monitors: { label: "Monitors", unit: "monitors" },
  minIntervalSeconds: { label: "Shortest check interval", unit: "seconds" },
  regions: { label: "Regions per monitor", unit: "regions" },
  statusPages: { label: "Status pages", unit: "status pages" },
  members: { label: "Members", unit: "members" },
  retentionDays: { label: "Result retention", unit: "days" },
  smsPerMonth: { label: "SMS per month", unit: "SMS" },
  apiRequestsPerMinute: { label: "API requests per minute", unit: "requests/min" },
};

export function isPlanId(v: unknown): v is PlanId {
  return typeof v === "string" && (PLAN_IDS as readonly string[]).includes(v);
}

export function isPaidPlanId(v: unknown): v is PaidPlanId {
  return typeof v === "string" && (PAID_PLAN_IDS as readonly string[]).includes(v);
}

/** The cheapest paid plan whose `limit` allows `wanted` (for "upgrade to …" in messages), or null. */
export function cheapestPlanAllowing(limit: LimitName, wanted: number): PaidPlanId | null {
  for (const id of PAID_PLAN_IDS) {
    const v: number | null = PLANS[id].limits[limit];
    if (limit === "minIntervalSeconds" ? (v ?? 0) <= wanted : v === null || v >= wanted) return id;
  }
  return null;
}
