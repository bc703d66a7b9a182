import { db } from "../../db/client";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { createSession } from "../../auth/session";
import { SIGN_UP_PER_ADDRESS, signUpPerIp, take, throttleKeys } from "../../auth/throttle";
import { env } from "../../env";
import { parseInput } from "../../lib/parse";
import { signUpSchema, type SignUpInput } from "../../validation/auth";
import { issueEmailToken, sendConfirmationMail } from "../account/internal";
import { recordAudit } from "../audit/record";
import { insertAccount, isDuplicateEmail, type CreatedAccount } from "./insert-account";

export type SignUpResult = CreatedAccount & { session: { token: string; expiresAt: Date } };

/**
 * User, organization, ADMIN membership, audit row and session: one transaction, or nothing.
 * The account works at once, but its address is unproven until the mailed link is opened:
 * until then it sends no alert email and no invitation (account/internal.ts).
 */
export async function signUp({ input, meta }: { input: SignUpInput; meta: RequestMeta }): Promise<SignUpResult> {
  const data = parseInput(signUpSchema, input);
  // Counted before the bcrypt hash, so a burst of sign-ups costs at most `limit` hashes.
  await take([
    { key: throttleKeys.signUpIp(meta.ip ?? "unknown"), window: signUpPerIp(env().SIGNUP_LIMIT_PER_IP), what: "sign-ups from your network" },
    { key: throttleKeys.signUpAddress(data.email), window: SIGN_UP_PER_ADDRESS, what: "sign-ups for this email" },
  ]);
  const passwordHash = await hashPassword(data.password);

  try {
    const made = await db().transaction(async (tx) => {
      const { user, organization } = await insertAccount(tx, { ...data, passwordHash });
      await recordAudit(tx, { organizationId: organization.id, actorUserId: user.id, action: "account.sign_up", targetType: "user", targetId: user.id, meta });
      const session = await createSession(tx, user.id, organization.id, meta);
      const token = await issueEmailToken(tx, user.id, "verify", user.email);
      return { user, organization, session, token };
    });
    // Off the request path: a slow mail server must not hold up sign-up; "resend" covers a lost mail.
    void sendConfirmationMail({ name: data.name, email: made.user.email }, made.token, "verify");
    return { user: made.user, organization: made.organization, session: made.session };
  } catch (e) {
    if (isDuplicateEmail(e)) {
      throw new Conflict("An account with this email already exists. Sign in, or reset your password.", {
        email: ["An account with this email already exists. Sign in, or reset your password."],
      });
    }
    throw e;
  }
}
