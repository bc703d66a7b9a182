import { and, isNotNull, lt, or } from "drizzle-orm";
import { db } from "../../db/client";
import { invitations, passwordResetTokens, sessions } from "../../db/schema";

/** Deletes sessions, reset links and invitations that can no longer be used. Idempotent. */
export async function purgeExpired({ now = new Date() }: { now?: Date } = {}) {
  const day = 24 * 60 * 60 * 1000;
  const s = await db().delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.idHash });
  const r = await db()
    .delete(passwordResetTokens)
    .where(or(lt(passwordResetTokens.expiresAt, now), isNotNull(passwordResetTokens.usedAt)))
    .returning({ id: passwordResetTokens.tokenHash });
  const i = await db()
    .delete(invitations)
    .where(and(lt(invitations.expiresAt, new Date(now.getTime() - 30 * day))))
    .returning({ id: invitations.id });
  return { sessions: s.length, resetTokens: r.length, invitations: i.length };
}
