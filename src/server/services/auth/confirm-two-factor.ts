import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict, Invalid } from "../../errors";
import { revokeUserSessions } from "../../auth/session";
import { claimTotpStep, matchTotpStep, openTotpSecret } from "../../auth/totp";
import { parseInput } from "../../lib/parse";
import { confirmTwoFactorSchema } from "../../validation/two-factor";
import { recordAudit } from "../audit/record";
import { issueRecoveryCodes } from "./recovery-codes";
import { BAD_CODE, loadUser } from "./two-factor";

/** Step 2: the first valid code turns 2FA on, issues recovery codes and signs out other sessions. */
export async function confirmTwoFactor({ userId, currentSessionIdHash, input, meta }: { userId: string; currentSessionIdHash?: string; input: unknown; meta: RequestMeta }) {
  const { code } = parseInput(confirmTwoFactorSchema, input);
  return db().transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    if (u.totpEnabledAt) throw new Conflict("Two-factor authentication is already on.");
    if (!u.totpSecretEnc) throw new Invalid("Start the set-up first.", { code: ["Start the set-up first."] });
    const step = await matchTotpStep(openTotpSecret(u.id, u.totpSecretEnc), code, u.totpLastStep);
    if (step === null || !(await claimTotpStep(tx, u.id, step))) throw new Invalid(BAD_CODE, { code: [BAD_CODE] });
    await tx.update(users).set({ totpEnabledAt: new Date(), updatedAt: new Date() }).where(eq(users.id, u.id));
    const codes = await issueRecoveryCodes(tx, u.id);
    await revokeUserSessions(tx, u.id, currentSessionIdHash);
    await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.2fa_enabled", meta });
    return { recoveryCodes: codes };
  });
}
