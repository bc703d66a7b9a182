import { and, count, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../db/client";
import { invitations, memberships, type Invitation, type Membership } from "../../db/schema";
import { NotFound } from "../../errors";
import { assertCountAllows, orgForLimits } from "../../billing/guard";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scoped fetch-or-throw: a member of another organization is indistinguishable from none. */
export async function getMemberOrThrow(tx: DbOrTx, organizationId: string, userId: string): Promise<Membership> {
  if (!UUID.test(userId)) throw new NotFound("Member not found.");
  const [m] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
    .limit(1);
  if (!m) throw new NotFound("Member not found.");
  return m;
}

export async function getInvitationOrThrow(tx: DbOrTx, organizationId: string, invitationId: string): Promise<Invitation> {
  if (!UUID.test(invitationId)) throw new NotFound("Invitation not found.");
  const [i] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.id, invitationId)))
    .limit(1);
  if (!i) throw new NotFound("Invitation not found.");
  return i;
}

/**
 * Locks the organization's memberships and counts its admins, so two concurrent demotions
 * or removals cannot both pass the last-admin rule.
 */
export async function lockAdminCount(tx: DbOrTx, organizationId: string): Promise<number> {
  const rows = await tx.select({ role: memberships.role }).from(memberships).where(eq(memberships.organizationId, organizationId)).for("update");
  return rows.filter((r) => r.role === "ADMIN").length;
}

/**
 * Refuses a seat beyond the plan's members (the organization row locked, so two invitations
 * cannot both take the last one). Inviting counts members and pending invitations; accepting
 * counts members only: that invitation already held its seat, and after a downgrade the
 * first invitations accepted fill what the plan allows.
 */
export async function assertSeatAvailable(tx: Tx, organizationId: string, who: "member" | "invitee"): Promise<void> {
  const org = await orgForLimits(tx, organizationId, { lock: true });
  const [m] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
  let taken = m?.n ?? 0;
  if (who === "member") {
    const [p] = await tx
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.organizationId, organizationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())));
    taken += p?.n ?? 0;
  }
  assertCountAllows(org, "members", taken, { who });
}
