import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { recoveryCodes, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict, Invalid, Unauthorized } from "../../errors";
import { verifyPassword } from "../../auth/password";
import { revokeUserSessions } from "../../auth/session";
import { parseInput } from "../../lib/parse";
import { disableTwoFactorSchema } from "../../validation/two-factor";
import { recordAudit } from "../audit/record";
import { BAD_CODE, loadUser, checkSecondFactor } from "./two-factor";

/** Needs the password and a current code (or a recovery code). */
export async function disableTwoFactor({ userId, currentSessionIdHash, input, meta }: { userId: string; currentSessionIdHash?: string; input: unknown; meta: RequestMeta }) {
  const { password, code } = parseInput(disableTwoFactorSchema, input);
  await db().transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    if (!u.totpEnabledAt) throw new Conflict("Two-factor authentication is already off.");
    if (!(await verifyPassword(password, u.passwordHash))) throw new Unauthorized("Password is incorrect.", { password: ["Password is incorrect."] });
    if (!(await checkSecondFactor(tx, u, code))) throw new Invalid(BAD_CODE, { code: [BAD_CODE] });
    await tx.update(users).set({ totpEnabledAt: null, totpSecretEnc: null, totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, u.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, u.id));
    await revokeUserSessions(tx, u.id, currentSessionIdHash);
    await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.2fa_disabled", meta });
  });
}
