import { eq } from "drizzle-orm";
import { type DbOrTx } from "../../db/client";
import { users, type User } from "../../db/schema";
import { NotFound } from "../../errors";
import { claimTotpStep, matchTotpStep, openTotpSecret } from "../../auth/totp";
import { redeemRecoveryCode } from "./recovery-codes";

export const BAD_CODE = "That code is not valid or was already used. Codes change every 30 seconds.";

export async function loadUser(tx: DbOrTx, userId: string): Promise<User> {
  const [u] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!u) throw new NotFound("Account not found.");
  return u;
}

/** A TOTP code (once) or an unused recovery code. Returns the method that matched, or null. */
export async function checkSecondFactor(tx: DbOrTx, user: User, code: string): Promise<"totp" | "recovery_code" | null> {
  if (!user.totpSecretEnc) return null;
  if (/^\d{6}$/.test(code)) {
    const step = await matchTotpStep(openTotpSecret(user.id, user.totpSecretEnc), code, user.totpLastStep);
    return step !== null && (await claimTotpStep(tx, user.id, step)) ? "totp" : null;
  }
  return (await redeemRecoveryCode(tx, user.id, code)) ? "recovery_code" : null;
}
