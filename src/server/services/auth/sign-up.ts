import { db } from "../../db/client";
import { memberships, organizations, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { createSession } from "../../auth/session";
import { parseInput } from "../../lib/parse";
import { slugWithSuffix } from "../../lib/slug";
import { signUpSchema, type SignUpInput } from "../../validation/auth";
import { recordAudit } from "../audit/record";

export type SignUpResult = {
  user: { id: string; email: string };
  organization: { id: string; slug: string; name: string };
  session: { token: string; expiresAt: Date };
};

/** User, organization, ADMIN membership, audit row and session: one transaction, or nothing. */
export async function signUp({ input, meta }: { input: SignUpInput; meta: RequestMeta }): Promise<SignUpResult> {
  const data = parseInput(signUpSchema, input);
  const passwordHash = await hashPassword(data.password);

  try {
    return await db().transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ email: data.email, name: data.name, passwordHash }).returning();
      const [org] = await tx.insert(organizations).values({ name: data.organizationName, slug: slugWithSuffix(data.organizationName) }).returning();
      if (!user || !org) throw new Error("insert returned no row");
      await tx.insert(memberships).values({ organizationId: org.id, userId: user.id, role: "ADMIN" });
      await recordAudit(tx, { organizationId: org.id, actorUserId: user.id, action: "account.sign_up", targetType: "user", targetId: user.id, meta });
      const session = await createSession(tx, user.id, org.id, meta);
      return { user: { id: user.id, email: user.email }, organization: { id: org.id, slug: org.slug, name: org.name }, session };
    });
  } catch (e) {
    if (isUniqueViolation(e, "users_email_lower_uq")) {
      throw new Conflict("An account with this email already exists. Sign in, or reset your password.", {
        email: ["An account with this email already exists. Sign in, or reset your password."],
      });
    }
    throw e;
  }
}

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = (e as { cause?: unknown })?.cause ?? e;
  const pgErr = err as { code?: string; constraint?: string };
  return pgErr?.code === "23505" && (!constraint || pgErr.constraint === constraint);
}

