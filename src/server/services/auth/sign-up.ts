import { db } from "../../db/client";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { createSession } from "../../auth/session";
import { parseInput } from "../../lib/parse";
import { signUpSchema, type SignUpInput } from "../../validation/auth";
import { recordAudit } from "../audit/record";
import { insertAccount, isDuplicateEmail, type CreatedAccount } from "./insert-account";

export type SignUpResult = CreatedAccount & { session: { token: string; expiresAt: Date } };

/** User, organization, ADMIN membership, audit row and session: one transaction, or nothing. */
export async function signUp({ input, meta }: { input: SignUpInput; meta: RequestMeta }): Promise<SignUpResult> {
  const data = parseInput(signUpSchema, input);
  const passwordHash = await hashPassword(data.password);

  try {
    return await db().transaction(async (tx) => {
      const { user, organization } = await insertAccount(tx, { ...data, passwordHash });
      await recordAudit(tx, { organizationId: organization.id, actorUserId: user.id, action: "account.sign_up", targetType: "user", targetId: user.id, meta });
      const session = await createSession(tx, user.id, organization.id, meta);
      return { user, organization, session };
    });
  } catch (e) {
    if (isDuplicateEmail(e)) {
      throw new Conflict("An account with this email already exists. Sign in, or reset your password.", {
        email: ["An account with this email already exists. Sign in, or reset your password."],
      });
    }
    throw e;
  }
}
