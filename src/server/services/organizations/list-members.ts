import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { invitations, memberships, users } from "../../db/schema";
import type { Ctx } from "../../context";
import { can, requirePermission } from "../../auth/permissions";

export async function listMembers({ ctx }: { ctx: Ctx }) {
  requirePermission(ctx, "members:read");
  const members = await db()
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt, twoFactor: users.totpEnabledAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.organizationId, ctx.org.id))
    .orderBy(asc(users.name));
  // Pending invitations (emails of people not yet in) are for admins only.
  const pending = can(ctx.org.role, "invitations:manage")
    ? await db()
        .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
        .from(invitations)
        .where(and(eq(invitations.organizationId, ctx.org.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
        .orderBy(asc(invitations.createdAt))
    : [];
  return { members: members.map((m) => ({ ...m, twoFactor: m.twoFactor !== null })), pending };
}
