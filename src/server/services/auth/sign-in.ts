import { eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Unauthorized } from "../../errors";
import { dummyPasswordHash, verifyPassword } from "../../auth/password";
import { createPending2fa } from "../../auth/pending-2fa";
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_IP, assertNotThrottled, clear, hit, throttleKeys } from "../../auth/throttle";
import { parseInput } from "../../lib/parse";
import { signInSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";
import { completeSignIn } from "./complete-sign-in";
import { deletedAccountMessage } from "../privacy/internal";

export type SignInResult = { status: "signed_in"; token: string; expiresAt: Date; userId: string } | { status: "2fa_required"; pendingToken: string };

export const BAD_CREDENTIALS = "Email or password is incorrect.";

export async function signIn({ input, meta }: { input: unknown; meta: RequestMeta }): Promise<SignInResult> {
  const { email, password } = parseInput(signInSchema, input);
  const ip = meta.ip ?? "unknown";
  const acctKey = throttleKeys.signInAccount(email);
  const ipKey = throttleKeys.signInIp(ip);
  await assertNotThrottled([
    { key: acctKey, window: SIGN_IN_PER_ACCOUNT, what: "sign-in attempts for this account" },
    { key: ipKey, window: SIGN_IN_PER_IP, what: "sign-in attempts from your network" },
  ]);

  const [user] = await db()
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email))
    .limit(1);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));

  if (!user || !ok) {
    await Promise.all([hit(acctKey, SIGN_IN_PER_ACCOUNT), hit(ipKey, SIGN_IN_PER_IP)]);
    await recordAudit(db(), {
      organizationId: null,
      actorUserId: user?.id ?? null,
      action: "auth.sign_in_failed",
      metadata: { reason: user ? "bad_password" : "unknown_email" },
      meta,
    });
    throw new Unauthorized(BAD_CREDENTIALS);
  }

  await clear(acctKey);
  // Said only to whoever knows the password: the account exists but was deleted (issue 13).
  if (user.deletedAt) throw new Unauthorized(deletedAccountMessage(user.purgeAfter));
  if (user.totpEnabledAt) {
    return { status: "2fa_required", pendingToken: await createPending2fa(user.id) };
  }
  return completeSignIn({ userId: user.id, meta, method: "password" });
}
