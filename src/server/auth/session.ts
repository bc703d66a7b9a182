import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { db, type DbOrTx } from "../db/client";
import { memberships, organizations, sessions, users, type Role } from "../db/schema";
import type { RequestMeta } from "../context";
import { hashToken, randomToken } from "../lib/crypto";

export const SESSION_COOKIE = "perigee_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
// Sliding refresh: extend expiry at most once an hour to keep writes rare.
const TOUCH_EVERY_MS = 60 * 60 * 1000;

/** `emailConfirmed`: the address is proven (see services/account/internal.ts for what waits on it). */
export type SessionUser = { id: string; email: string; name: string; isAdmin: boolean; totpEnabled: boolean; emailConfirmed: boolean };
export type ActiveOrg = { id: string; slug: string; name: string; role: Role };
export type ValidSession = {
  idHash: string;
  user: SessionUser;
  activeOrg: ActiveOrg | null;
  orgs: ActiveOrg[];
  expiresAt: Date;
};

export async function createSession(tx: DbOrTx, userId: string, activeOrganizationId: string | null, meta: RequestMeta): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await tx.insert(sessions).values({
    idHash: hashToken(token),
    userId,
    activeOrganizationId,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    expiresAt,
  });
  return { token, expiresAt };
}

/** Resolves a cookie token to its user and the organizations they belong to. */
export async function validateSession(token: string | undefined | null): Promise<ValidSession | null> {
  if (!token || token.length > 100) return null;
  const idHash = hashToken(token);
  const [row] = await db()
    .select({ s: sessions, u: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    // A deleted account (issue 13) has no session, even one that outlived the deletion.
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, new Date()), isNull(users.deletedAt)))
    .limit(1);
  if (!row) return null;

  const orgs = await db()
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, row.u.id), isNull(organizations.deletedAt)))
    .orderBy(organizations.name);

  // The active organization only counts while the membership exists.
  const activeOrg = orgs.find((o) => o.id === row.s.activeOrganizationId) ?? orgs[0] ?? null;

  if (Date.now() - row.s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db()
      .update(sessions)
      .set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() + SESSION_TTL_MS) })
      .where(eq(sessions.idHash, idHash));
  }

  return {
    idHash,
    user: { id: row.u.id, email: row.u.email, name: row.u.name, isAdmin: row.u.isAdmin, totpEnabled: row.u.totpEnabledAt !== null, emailConfirmed: row.u.emailVerifiedAt !== null },
    activeOrg,
    orgs,
    expiresAt: row.s.expiresAt,
  };
}

/** Ends every session of a user, optionally keeping the one making the change. */
export async function revokeUserSessions(tx: DbOrTx, userId: string, exceptIdHash?: string): Promise<void> {
  await tx.delete(sessions).where(exceptIdHash ? and(eq(sessions.userId, userId), ne(sessions.idHash, exceptIdHash)) : eq(sessions.userId, userId));
}
