import { eq } from "drizzle-orm";
import type { Tx } from "../db/client";
import { organizations, type Organization } from "../db/schema";
import { env } from "../env";
import { NotFound, PlanLimitReached } from "../errors";
import { effectivePlan, type BillingState, type EffectivePlan } from "./effective";
import { LIMIT_LABELS, PLANS, cheapestPlanAllowing, type LimitName } from "./plans";

/**
 * The plan's limits, checked inside the verbs' transactions. Each check throws
 * PlanLimitReached (402 plan_limit_reached) naming the limit, the plan and the way up: the
 * cheapest plan that allows it, or the operator when the figure is theirs (`org:limits`, or a
 * self-hosted install, where no plan can be bought).
 */
export type LimitedOrg = BillingState & { name: string };

type CountLimit = "monitors" | "statusPages" | "members";

/**
 * The organization's billing state. `lock` (FOR UPDATE) when the caller counts something, so
 * concurrent creates cannot both slip under the limit.
 */
export async function orgForLimits(tx: Tx, organizationId: string, opts: { lock?: boolean } = {}): Promise<Organization> {
  const q = tx.select().from(organizations).where(eq(organizations.id, organizationId));
  const [org] = opts.lock ? await q.for("update") : await q;
  if (!org) throw new NotFound("No such organization.");
  return org;
}

/** Refuses `adding` more of a counted thing when `current` of them already exist. */
export function assertCountAllows(org: LimitedOrg, name: CountLimit, current: number, opts: { adding?: number; who?: "member" | "invitee" } = {}): void {
  const plan = effectivePlan(org);
  const allowed = plan.limits[name];
  const requested = current + (opts.adding ?? 1);
  if (allowed === null || requested <= allowed) return;
  throw refusal(org, plan, name, { allowed, current, requested, who: opts.who ?? "member" });
}

/** Refuses an interval shorter than the plan's minimum. */
export function assertIntervalAllowed(org: LimitedOrg, seconds: number): void {
  const plan = effectivePlan(org);
  const allowed = plan.limits.minIntervalSeconds;
  if (seconds >= allowed) return;
  throw refusal(org, plan, "minIntervalSeconds", { allowed, requested: seconds, who: "member" });
}

/** Refuses more check regions on one monitor than the plan allows. */
export function assertRegionsAllowed(org: LimitedOrg, regions: number): void {
  const plan = effectivePlan(org);
  const allowed = plan.limits.regions;
  if (allowed === null || regions <= allowed) return;
  throw refusal(org, plan, "regions", { allowed, requested: regions, who: "member" });
}

const num = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, unit: string) => `${num(n)} ${n === 1 && unit.endsWith("s") ? unit.slice(0, -1) : unit}`;

/** How a figure of a limit reads: "10 monitors", "checks every 180 seconds", "2 regions per monitor". */
function phrase(name: LimitName, n: number | null): string {
  const unit = LIMIT_LABELS[name].unit;
  if (name === "minIntervalSeconds") return `checks every ${plural(n ?? 0, unit)}`;
  if (name === "regions") return n === null ? "every region" : `${plural(n, unit)} per monitor`;
  return n === null ? `unlimited ${unit}` : plural(n, unit);
}

/** The operator set this figure (org:limits), or no plan can be bought here: upgrading would not change it. */
function setByOperator(org: LimitedOrg, plan: EffectivePlan, name: LimitName): boolean {
  if (plan.plan === "self-hosted") return true;
  return (name === "monitors" && org.maxMonitors !== null) || (name === "minIntervalSeconds" && org.minIntervalSeconds !== null);
}

function refusal(org: LimitedOrg, plan: EffectivePlan, name: LimitName, f: { allowed: number; current?: number; requested: number; who: "member" | "invitee" }): PlanLimitReached {
  const upgradeUrl = `${env().APP_URL}/settings/billing`;
  const operator = setByOperator(org, plan, name);
  const upgradePlan = operator ? null : cheapestPlanAllowing(name, f.requested);
  const allowed = name === "minIntervalSeconds" ? `${phrase(name, f.allowed)} at the shortest` : phrase(name, f.allowed);
  const figures = f.current !== undefined ? `it has ${num(f.current)}` : name === "minIntervalSeconds" ? `asked for ${plural(f.requested, LIMIT_LABELS[name].unit)}` : `asked for ${num(f.requested)}`;
  const head = operator ? `${org.name}'s operator allows ${allowed} (${figures}).` : `${org.name} is on the ${PLANS[plan.plan].name} plan, which allows ${allowed} (${figures}).`;
  let next: string;
  if (operator) next = f.who === "invitee" ? `Ask an administrator of ${org.name} to have it raised.` : "Ask your operator to raise it.";
  else if (!upgradePlan) next = "No plan allows more.";
  else if (f.who === "invitee") next = `Ask an administrator of ${org.name} to upgrade to ${PLANS[upgradePlan].name}, then open this invitation again.`;
  else next = `Upgrade to ${PLANS[upgradePlan].name} for ${phrase(name, PLANS[upgradePlan].limits[name])}: ${upgradeUrl}.`;
  return new PlanLimitReached(`${head} ${next}`, {
    name,
    plan: plan.plan,
    allowed: f.allowed,
    ...(f.current !== undefined ? { current: f.current } : {}),
    requested: f.requested,
    upgradePlan,
    upgradeUrl,
  });
}
