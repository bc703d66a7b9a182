import { eq } from "drizzle-orm";
import QRCode from "qrcode";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import { Conflict } from "../../errors";
import { newTotpSecret, sealTotpSecret, totpUri } from "../../auth/totp";
import { loadUser } from "./two-factor";

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
