import { and, eq, gt, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { passwordResetTokens, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Invalid } from "../../errors";
import { hashPassword } from "../../auth/password";
import { revokeUserSessions } from "../../auth/session";
import { clear, throttleKeys } from "../../auth/throttle";
import { hashToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { confirmResetSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";

export const RESET_LINK_INVALID = "This reset link has expired or was already used. Request a new one.";

/** Consumes the link (once, even under concurrency), sets the password, ends every session. */
export async function resetPassword({ input, meta }: { input: unknown; meta: RequestMeta }): Promise<void> {
  const { token, password } = parseInput(confirmResetSchema, input);
  const hash = await hashPassword(password);
  const email = await db().transaction(async (tx) => {
    const [claimed] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.tokenHash, hashToken(token)), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, new Date())))
      .returning({ userId: passwordResetTokens.userId });
    if (!claimed) throw new Invalid(RESET_LINK_INVALID, { token: [RESET_LINK_INVALID] });
    // Any other link still in a mailbox stops working too.
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.userId, claimed.userId), isNull(passwordResetTokens.usedAt)));
    const [u] = await tx.update(users).set({ passwordHash: hash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, claimed.userId)).returning();
    await revokeUserSessions(tx, claimed.userId);
    await recordAudit(tx, { organizationId: null, actorUserId: claimed.userId, action: "auth.password_reset", meta });
    return u!.email.toLowerCase();
  });
  await clear(throttleKeys.signInAccount(email));
}
