import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { invitations, memberships, type Invitation, type Membership } from "../../db/schema";
import { NotFound } from "../../errors";

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
