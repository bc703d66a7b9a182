import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "../../db/client";
import { invitations, memberships, organizations, users, type Invitation } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict, Forbidden, Invalid, NotFound } from "../../errors";
import { hashPassword } from "../../auth/password";
import { createSession } from "../../auth/session";
import { hashToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { acceptAsNewUserSchema } from "../../validation/organizations";
import { recordAudit } from "../audit/record";

export type InvitationState = "valid" | "expired" | "used" | "revoked";

function stateOf(i: Invitation): InvitationState {
  if (i.acceptedAt) return "used";
  if (i.revokedAt) return "revoked";
  if (i.expiresAt <= new Date()) return "expired";
  return "valid";
}

const STATE_MESSAGE: Record<Exclude<InvitationState, "valid">, string> = {
  used: "This invitation was already used.",
  revoked: "This invitation was withdrawn. Ask for a new one.",
  expired: "This invitation has expired. Ask the person who invited you for a new one.",
};

/** What the invite page shows; unknown tokens are NotFound. */
export async function getInvitationByToken(token: string) {
  if (!token || token.length > 100) throw new NotFound("Invitation not found.");
  const [row] = await db()
    .select({ inv: invitations, orgName: organizations.name, inviterName: users.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .leftJoin(users, eq(users.id, invitations.invitedById))
    .where(eq(invitations.tokenHash, hashToken(token)))
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

/** Claims the invitation inside the transaction: single use, even under concurrency. */
async function claim(tx: Tx, token: string): Promise<Invitation> {
  const [inv] = await tx
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, hashToken(token)))
    .for("update");
  if (!inv) throw new NotFound("Invitation not found.");
  const state = stateOf(inv);
  if (state !== "valid") throw new Invalid(STATE_MESSAGE[state]);
  const [ok] = await tx
    .update(invitations)
    .set({ acceptedAt: new Date() })
    .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  if (!ok) throw new Invalid(STATE_MESSAGE.used);
  return inv;
}

/** A signed-in user whose email matches accepts. */
export async function acceptInvitation({ token, userId, meta }: { token: string; userId: string; meta: RequestMeta }) {
  return db().transaction(async (tx) => {
    const inv = await claim(tx, token);
    const [u] = await tx.select().from(users).where(eq(users.id, userId));
    if (!u || u.email.toLowerCase() !== inv.email.toLowerCase()) {
      throw new Forbidden(`This invitation is for ${inv.email}. Sign in with that address to accept it.`);
    }
    const [already] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.organizationId, inv.organizationId), eq(memberships.userId, u.id)));
    if (already) throw new Conflict("You are already a member of this organization.");
    await tx.insert(memberships).values({ organizationId: inv.organizationId, userId: u.id, role: inv.role });
    await recordAudit(tx, { organizationId: inv.organizationId, actorUserId: u.id, action: "invitation.accepted", targetType: "invitation", targetId: inv.id, metadata: { role: inv.role }, meta });
    return { organizationId: inv.organizationId, role: inv.role };
  });
}

/** Someone without an account: user + membership + audit + session in one transaction, no new organization. */
export async function acceptInvitationAsNewUser({ token, input, meta }: { token: string; input: unknown; meta: RequestMeta }) {
  const { name, password } = parseInput(acceptAsNewUserSchema, input);
  const passwordHash = await hashPassword(password);
  return db().transaction(async (tx) => {
    const inv = await claim(tx, token);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, inv.email))
      .limit(1);
    if (existing) throw new Conflict(`An account for ${inv.email} already exists. Sign in to accept the invitation.`);
    const [u] = await tx.insert(users).values({ email: inv.email, name, passwordHash }).returning();
    await tx.insert(memberships).values({ organizationId: inv.organizationId, userId: u!.id, role: inv.role });
    await recordAudit(tx, {
      organizationId: inv.organizationId,
      actorUserId: u!.id,
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: inv.id,
      metadata: { role: inv.role, newAccount: true },
      meta,
    });
    const session = await createSession(tx, u!.id, inv.organizationId, meta);
    return { user: { id: u!.id, email: u!.email }, organizationId: inv.organizationId, session };
  });
}
