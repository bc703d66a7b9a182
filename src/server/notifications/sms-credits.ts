import { eq } from "drizzle-orm";
import { db, pool } from "../db/client";
import { organizations } from "../db/schema";
import { effectivePlan } from "../billing/effective";
import { PLANS, cheapestPlanAllowing } from "../billing/plans";
import { env } from "../env";

/**
 * SMS credits: each plan includes smsPerMonth SMS per calendar month (UTC), counted in
 * sms_usage. A credit is taken atomically before an SMS is handed to the provider (so
 * concurrent sends cannot overdraw) and given back when the provider does not accept it, so
 * only SMS actually sent are charged. Test sends count too: they are real, billed SMS.
 * Beyond the credits the SMS is skipped, counted as skipped, and the reason is logged.
 */
export type SmsCredit = { granted: true; month: string } | { granted: false; reason: string };

const monthOf = (d: Date) => `${d.toISOString().slice(0, 7)}-01`;

export async function takeSmsCredit(organizationId: string, now = new Date()): Promise<SmsCredit> {
  const month = monthOf(now);
  const [org] = await db().select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) return { granted: false, reason: "Not sent: the organization no longer exists." };
  const plan = effectivePlan(org, now);
  const allowed = plan.limits.smsPerMonth;
  // Inserts the month's first SMS, or adds one while under the credits; no row back = none left.
  const taken = await pool().query({
    name: "perigee_sms_credit_take",
    text: `insert into sms_usage (organization_id, month, sent) select $1, $2::date, 1 where $3::int is null or $3::int > 0
      on conflict (organization_id, month) do update set sent = sms_usage.sent + 1 where $3::int is null or sms_usage.sent < $3::int
      returning sent`,
    values: [organizationId, month, allowed],
  });
  if (taken.rowCount) return { granted: true, month };
  await pool().query({
    name: "perigee_sms_credit_skip",
    text: `insert into sms_usage (organization_id, month, skipped) values ($1, $2::date, 1)
      on conflict (organization_id, month) do update set skipped = sms_usage.skipped + 1`,
    values: [organizationId, month],
  });
  const planName = PLANS[plan.plan].name;
  const used = allowed === 0 ? `the ${planName} plan includes no SMS` : `${org.name} has used all ${allowed} SMS its ${planName} plan includes this month (they renew on the 1st, UTC)`;
  const up = cheapestPlanAllowing("smsPerMonth", (allowed ?? 0) + 1);
  const next = up && plan.plan !== "self-hosted" ? ` Upgrade to ${PLANS[up].name} for ${PLANS[up].limits.smsPerMonth} a month: ${env().APP_URL}/settings/billing.` : "";
  return { granted: false, reason: `Not sent: ${used}.${next}` };
}

/** Gives back a credit the provider did not use (it refused or could not be reached). */
export async function returnSmsCredit(organizationId: string, month: string): Promise<void> {
  await pool().query({
    name: "perigee_sms_credit_return",
    text: "update sms_usage set sent = greatest(sent - 1, 0) where organization_id = $1 and month = $2::date",
    values: [organizationId, month],
  });
}
