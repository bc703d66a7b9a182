import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { db, type DbOrTx } from "../../db/client";
import { recoveryCodes, users, type User } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict, Invalid, NotFound, Unauthorized } from "../../errors";
import { verifyPassword } from "../../auth/password";
import { revokeUserSessions } from "../../auth/session";
import { claimTotpStep, matchTotpStep, newTotpSecret, openTotpSecret, sealTotpSecret, totpUri } from "../../auth/totp";
import { parseInput } from "../../lib/parse";
import { confirmTwoFactorSchema, disableTwoFactorSchema } from "../../validation/two-factor";
import { recordAudit } from "../audit/record";
import { issueRecoveryCodes, redeemRecoveryCode } from "./recovery-codes";

export const BAD_CODE = "That code is not valid or was already used. Codes change every 30 seconds.";

async function loadUser(tx: DbOrTx, userId: string): Promise<User> {
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

/** Step 1: a new secret, sealed on the user until confirmed. Shown as QR code and text. */
export async function startTwoFactorEnrollment({ userId }: { userId: string }) {
  return db().transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    if (u.totpEnabledAt) throw new Conflict("Two-factor authentication is already on. Turn it off first to enrol a new device.");
    const secret = newTotpSecret();
    await tx
      .update(users)
      .set({ totpSecretEnc: sealTotpSecret(u.id, secret), totpLastStep: null })
      .where(eq(users.id, u.id));
    const uri = totpUri(secret, u.email);
    return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 196 }) };
  });
}

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

export async function regenerateRecoveryCodes({ userId, input, meta }: { userId: string; input: unknown; meta: RequestMeta }) {
  const { code } = parseInput(confirmTwoFactorSchema, input);
  return db().transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    if (!u.totpEnabledAt) throw new Conflict("Turn on two-factor authentication first.");
    if ((await checkSecondFactor(tx, u, code)) !== "totp") throw new Invalid(BAD_CODE, { code: [BAD_CODE] });
    const codes = await issueRecoveryCodes(tx, u.id);
    await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.recovery_codes_regenerated", meta });
    return { recoveryCodes: codes };
  });
}

export async function remainingRecoveryCodes(userId: string): Promise<number> {
  const rows = await db().select({ usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return rows.filter((r) => !r.usedAt).length;
}
