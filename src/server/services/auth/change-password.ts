import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { NotFound, Unauthorized } from "../../errors";
import { hashPassword, verifyPassword } from "../../auth/password";
import { revokeUserSessions } from "../../auth/session";
import { parseInput } from "../../lib/parse";
import { changePasswordSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";

/** Changes the password and signs out every other session of the user. */
export async function changePassword({ userId, currentSessionIdHash, input, meta }: { userId: string; currentSessionIdHash?: string; input: unknown; meta: RequestMeta }) {
  const { currentPassword, newPassword } = parseInput(changePasswordSchema, input);
  const [u] = await db().select().from(users).where(eq(users.id, userId));
  if (!u) throw new NotFound("Account not found.");
  if (!(await verifyPassword(currentPassword, u.passwordHash))) {
    throw new Unauthorized("Current password is incorrect.", { currentPassword: ["Current password is incorrect."] });
  }
  const hash = await hashPassword(newPassword);
  await db().transaction(async (tx) => {
    await tx.update(users).set({ passwordHash: hash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
    await revokeUserSessions(tx, userId, currentSessionIdHash);
    await recordAudit(tx, { organizationId: null, actorUserId: userId, action: "auth.password_changed", meta });
  });
}
