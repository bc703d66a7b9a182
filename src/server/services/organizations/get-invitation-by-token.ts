import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { invitations, organizations, users } from "../../db/schema";
import { NotFound } from "../../errors";
import { hashToken } from "../../lib/crypto";
import { stateOf } from "./invitation";

/** What the invite page shows; unknown tokens are NotFound. */
export async function getInvitationByToken({ token }: { token: string }) {
  if (!token || token.length > 100) throw new NotFound("Invitation not found.");
  const [row] = await db()
    .select({ inv: invitations, orgName: organizations.name, inviterName: users.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .leftJoin(users, eq(users.id, invitations.invitedById))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(organizations.deletedAt)))
    .limit(1);
  if (!row) throw new NotFound("Invitation not found.");
  const [existing] = await db()
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, row.inv.email))
    .limit(1);
  return {
    organizationId: row.inv.organizationId,
    organizationName: row.orgName,
    inviterName: row.inviterName,
    email: row.inv.email,
    role: row.inv.role,
    expiresAt: row.inv.expiresAt,
    state: stateOf(row.inv),
    accountExists: !!existing,
  };
}
