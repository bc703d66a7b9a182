import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { RequestMeta } from "../context";
import { db, type Tx } from "../db/client";
import { auditLog, memberships, monitorRegionState, monitors, organizations, statusPages, users, type Monitor, type Organization } from "../db/schema";
import { env } from "../env";
import { log } from "../log";
import { esc, layout, sendMail } from "../mail/mailer";
import { syncScheduleSafely } from "../monitors/schedule";
import { recordAudit } from "../services/audit/record";
import { invalidateStatusPages } from "../status/invalidate";
import { billingEnabled, effectivePlan } from "./effective";
import { PLANS, type PlanId } from "./plans";

/**
 * Downgrade enforcement: makes an organization's existing monitors and status pages fit the
 * plan that applies now, and undoes that when the plan allows again. Nothing is deleted:
 * - monitors beyond the plan's count are paused (paused_by_plan); the ADMIN's
 *   keep_on_downgrade choices run first, then the oldest — so the newest are paused;
 * - intervals below the plan's minimum are raised, regions beyond its per-monitor count
 *   trimmed (the first ones kept) — neither is undone by an upgrade, the old values are in the
 *   audit log;
 * - status pages beyond the plan's count are unpublished (unpublished_by_plan), the oldest kept.
 * Monitors and pages a person paused or unpublished are never touched. Every change is an
 * audit row, and the organization's ADMINs get one email listing them.
 */

const SYSTEM: RequestMeta = { ip: null, userAgent: "perigee-billing" };

type Change = {
  kind: "paused" | "resumed" | "interval_raised" | "regions_trimmed" | "unpublished" | "republished";
  targetType: "monitor" | "status_page";
  id: string;
  name: string;
  detail?: Record<string, unknown>;
};

type Enforced = { organizationId: string; plan: PlanId; previous: string | null; changes: Change[] };

const ACTION: Record<Change["kind"], string> = {
  paused: "monitor.paused_by_plan",
  resumed: "monitor.resumed_by_plan",
  interval_raised: "monitor.interval_raised_by_plan",
  regions_trimmed: "monitor.regions_trimmed_by_plan",
  unpublished: "status_page.unpublished_by_plan",
  republished: "status_page.republished_by_plan",
};

/** The first `limit` of `rows` (all when unlimited). */
const firstOf = <T>(rows: T[], limit: number | null) => new Set(limit === null ? rows : rows.slice(0, limit));

/** Works out and writes the changes, inside the transaction that holds the organization row. */
async function planChanges(tx: Tx, org: Organization): Promise<{ plan: PlanId; changes: Change[]; touched: Monitor[]; previousRegions: Map<string, string[]> }> {
  const { plan, limits } = effectivePlan(org);
  const changes: Change[] = [];
  const all = await tx.select().from(monitors).where(eq(monitors.organizationId, org.id)).orderBy(asc(monitors.createdAt), asc(monitors.id));
  // Monitors a person paused are theirs: neither counted against the limit nor resumed.
  const running = all.filter((m) => !m.paused || m.pausedByPlan).sort((a, b) => Number(b.keepOnDowngrade) - Number(a.keepOnDowngrade));
  const counted = new Set(running);
  const keep = firstOf(running, limits.monitors);
  const touched: Monitor[] = [];
  const previousRegions = new Map<string, string[]>();
  for (const m of all) {
    const set: Partial<Monitor> = {};
    if (counted.has(m) && !keep.has(m) && !m.paused) {
      Object.assign(set, { paused: true, pausedByPlan: true, state: "PAUSED", stateChangedAt: new Date() });
      changes.push({ kind: "paused", targetType: "monitor", id: m.id, name: m.name });
    } else if (keep.has(m) && m.paused && m.pausedByPlan) {
      Object.assign(set, { paused: false, pausedByPlan: false, state: "PENDING", stateChangedAt: new Date() });
      // A heartbeat's first deadline after resuming counts from now (as services/monitors/set-paused.ts).
      if (m.type === "heartbeat") set.lastHeartbeatAt = new Date();
      changes.push({ kind: "resumed", targetType: "monitor", id: m.id, name: m.name });
    }
    if (m.intervalSeconds < limits.minIntervalSeconds) {
      set.intervalSeconds = limits.minIntervalSeconds;
      changes.push({ kind: "interval_raised", targetType: "monitor", id: m.id, name: m.name, detail: { from: m.intervalSeconds, to: limits.minIntervalSeconds } });
    }
    if (limits.regions !== null && m.regions.length > limits.regions) {
      set.regions = m.regions.slice(0, limits.regions);
      if (m.quorum !== null && m.quorum > set.regions.length) set.quorum = null;
      previousRegions.set(m.id, m.regions);
      changes.push({ kind: "regions_trimmed", targetType: "monitor", id: m.id, name: m.name, detail: { from: m.regions, to: set.regions } });
    }
    if (Object.keys(set).length === 0) continue;
    const [row] = await tx
      .update(monitors)
      .set({ ...set, version: sql`${monitors.version} + 1`, updatedAt: new Date() })
      .where(eq(monitors.id, m.id))
      .returning();
    touched.push(row!);
    // A resumed monitor starts confirming from scratch.
    if (set.paused === false) await tx.delete(monitorRegionState).where(eq(monitorRegionState.monitorId, m.id));
  }

  const pages = await tx
    .select({ id: statusPages.id, name: statusPages.name, published: statusPages.published, unpublishedByPlan: statusPages.unpublishedByPlan })
    .from(statusPages)
    .where(eq(statusPages.organizationId, org.id))
    .orderBy(asc(statusPages.createdAt), asc(statusPages.id));
  const public_ = pages.filter((p) => p.published || p.unpublishedByPlan);
  const keepPages = firstOf(public_, limits.statusPages);
  for (const p of public_) {
    const unpublish = !keepPages.has(p) && p.published;
    const republish = keepPages.has(p) && !p.published;
    if (!unpublish && !republish) continue;
    await tx.update(statusPages).set({ published: republish, unpublishedByPlan: unpublish, updatedAt: new Date() }).where(eq(statusPages.id, p.id));
    changes.push({ kind: unpublish ? "unpublished" : "republished", targetType: "status_page", id: p.id, name: p.name });
  }
  return { plan, changes, touched, previousRegions };
}

/** Applies the plan in force to one organization (see the top of this file). Returns null for a deleted or unknown organization. */
async function enforceOrganization(organizationId: string): Promise<Enforced | null> {
  const out = await db().transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for("update");
    if (!org || org.deletedAt) return null;
    const r = await planChanges(tx, org);
    for (const c of r.changes)
      await recordAudit(tx, {
        organizationId,
        actorUserId: null,
        action: ACTION[c.kind],
        targetType: c.targetType,
        targetId: c.id,
        metadata: { plan: r.plan, name: c.name, ...c.detail },
        meta: SYSTEM,
      });
    if (org.enforcedPlan !== r.plan) {
      await tx.update(organizations).set({ enforcedPlan: r.plan }).where(eq(organizations.id, organizationId));
      await recordAudit(tx, { organizationId, actorUserId: null, action: "billing.plan_enforced", metadata: { from: org.enforcedPlan, to: r.plan, changes: r.changes.length }, meta: SYSTEM });
    }
    return { ...r, org, previous: org.enforcedPlan };
  });
  if (!out) return null;
  // After the commit: schedulers follow the rows (a failure is repaired by the schedule reconciler).
  for (const m of out.touched) await syncScheduleSafely(m, out.previousRegions.get(m.id) ?? []);
  if (out.changes.length) {
    await invalidateStatusPages({ organizationId });
    await mailAdmins(out.org, planSummary(out.org.name, out.plan, out.changes)).catch((err: unknown) =>
      log.warn("billing: the plan-change email could not be sent (the changes are in the audit log)", { organizationId, err: (err as Error).message }),
    );
  }
  return { organizationId, plan: out.plan, previous: out.previous, changes: out.changes };
}

async function adminEmails(organizationId: string): Promise<string[]> {
  const rows = await db()
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "ADMIN"), isNull(users.deletedAt)));
  return rows.map((r) => r.email);
}

type Message = { subject: string; lines: string[] };

/** One message to all the organization's ADMINs (nothing when it has none). */
async function mailAdmins(org: Organization, msg: Message): Promise<void> {
  const to = await adminEmails(org.id);
  if (!to.length) return;
  const link = `${env().APP_URL}/settings/billing`;
  const text = `${msg.lines.join("\n")}\n\nBilling: ${link}\n`;
  const html = layout(msg.subject, `${msg.lines.map((l) => `<p style="margin:0 0 8px">${esc(l)}</p>`).join("")}<p><a href="${esc(link)}">Open billing settings</a></p>`);
  await sendMail({ to: to.join(", "), subject: msg.subject, text, html });
}

function planSummary(orgName: string, plan: PlanId, changes: Change[]): Message {
  const name = PLANS[plan].name;
  const line = (c: Change) => {
    switch (c.kind) {
      case "paused":
        return `Paused monitor "${c.name}" (beyond the plan's monitors).`;
      case "resumed":
        return `Resumed monitor "${c.name}".`;
      case "interval_raised":
        return `Raised the check interval of "${c.name}" from ${String(c.detail?.from)} s to ${String(c.detail?.to)} s.`;
      case "regions_trimmed":
        return `Monitor "${c.name}" now checks from ${(c.detail?.to as string[]).join(", ")} (was ${(c.detail?.from as string[]).join(", ")}).`;
      case "unpublished":
        return `Unpublished status page "${c.name}" (beyond the plan's status pages).`;
      case "republished":
        return `Published status page "${c.name}" again.`;
    }
  };
  return {
    subject: `${orgName} is now on the ${name} plan: ${changes.length} change${changes.length === 1 ? "" : "s"} to your monitors and pages`,
    lines: [
      `${orgName} is now on Perigee's ${name} plan, so we adjusted what exceeded it. Nothing was deleted; upgrading resumes paused monitors and republishes pages.`,
      ...changes.map(line),
      `To choose which monitors keep running, mark them "keep on downgrade" on the billing page.`,
    ],
  };
}

/**
 * Tells the ADMINs once per past_due episode that a payment failed and when the grace ends.
 * The audit row keyed by the episode's start is the "sent" mark; it is written in the same
 * transaction as the send, under a per-organization lock, so concurrent jobs send once.
 */
async function notifyPastDue(organizationId: string): Promise<boolean> {
  return db().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`billing-past-due:${organizationId}`}))`);
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, organizationId));
    if (!org?.pastDueSince || org.subscriptionStatus !== "past_due" || org.deletedAt) return false;
    const since = org.pastDueSince.toISOString();
    const [sent] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.action, "billing.past_due_notified"), sql`${auditLog.metadata}->>'pastDueSince' = ${since}`))
      .limit(1);
    if (sent) return false;
    const { graceEndsAt, plan } = effectivePlan(org);
    const until = graceEndsAt ? graceEndsAt.toUTCString() : "now";
    await recordAudit(tx, { organizationId, actorUserId: null, action: "billing.past_due_notified", metadata: { pastDueSince: since, graceEndsAt: graceEndsAt?.toISOString() ?? null }, meta: SYSTEM });
    await mailAdmins(org, {
      subject: `Payment failed for ${org.name}: update your payment method`,
      lines: [
        `Stripe could not collect the latest payment for ${org.name}'s ${PLANS[plan].name} subscription.`,
        graceEndsAt
          ? `Your plan's limits stay in place until ${until}. If the payment still fails by then, ${org.name} moves to the Free plan: monitors beyond its limits are paused and extra status pages unpublished (nothing is deleted).`
          : `The grace period has ended, so ${org.name} is on the Free plan until the payment succeeds.`,
        `Update the payment method from the billing page (Manage billing); Stripe retries the payment automatically.`,
      ],
    });
    return true;
  });
}

/**
 * Everything a subscription change calls for, for one organization: the past_due email (once)
 * and the enforcement of the plan now in force. Run by the billingApply job after a webhook,
 * by the hourly sweep, by reconciliation and by `org:plan`. Idempotent.
 */
export async function applyBillingState(organizationId: string): Promise<{ pastDueNotified: boolean; enforced: Enforced | null }> {
  const pastDueNotified = await notifyPastDue(organizationId);
  return { pastDueNotified, enforced: await enforceOrganization(organizationId) };
}

/**
 * Hourly: every organization whose plan in force differs from the one last enforced (a grace
 * or a comp ran out, a webhook's follow-up job was lost) is enforced, and every past_due one
 * is checked for its notice. An organization never enforced counts as "self-hosted": nothing
 * of it was ever paused. With billing off this does nothing: limits are the operator's, and
 * what a former plan paused stays as it is. `organizationIds` narrows the sweep (tests share
 * one database between files).
 */
export async function enforcePlans({ organizationIds }: { organizationIds?: string[] } = {}): Promise<{ organizations: number; changes: number }> {
  if (!billingEnabled()) return { organizations: 0, changes: 0 };
  const live = isNull(organizations.deletedAt);
  const orgs = await db()
    .select()
    .from(organizations)
    .where(organizationIds ? and(live, inArray(organizations.id, organizationIds)) : live);
  const due = orgs.filter((o) => effectivePlan(o).plan !== (o.enforcedPlan ?? "self-hosted") || o.subscriptionStatus === "past_due");
  let changes = 0;
  for (const o of due) {
    try {
      const r = await applyBillingState(o.id);
      changes += r.enforced?.changes.length ?? 0;
    } catch (err) {
      log.error("billing: enforcing an organization's plan failed; the next run retries", { organizationId: o.id, err });
    }
  }
  return { organizations: due.length, changes };
}
