import { type Tx } from "../../db/client";
import { memberships, organizations, users } from "../../db/schema";
import { slugWithSuffix } from "../../lib/slug";

export type CreatedAccount = {
  user: { id: string; email: string };
  organization: { id: string; slug: string; name: string };
};

/** The rows every new account starts with: user, organization, and the user as its ADMIN. */
export async function insertAccount(tx: Tx, a: { email: string; name: string; passwordHash: string; organizationName: string; isAdmin?: boolean; emailConfirmed?: boolean }): Promise<CreatedAccount> {
  const [user] = await tx
    .insert(users)
    .values({ email: a.email, name: a.name, passwordHash: a.passwordHash, isAdmin: a.isAdmin ?? false, emailVerifiedAt: a.emailConfirmed ? new Date() : null })
    .returning();
  const [org] = await tx
    .insert(organizations)
    .values({ name: a.organizationName, slug: slugWithSuffix(a.organizationName) })
    .returning();
  if (!user || !org) throw new Error("insert returned no row");
  await tx.insert(memberships).values({ organizationId: org.id, userId: user.id, role: "ADMIN" });
  return { user: { id: user.id, email: user.email }, organization: { id: org.id, slug: org.slug, name: org.name } };
}

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = (e as { cause?: unknown })?.cause ?? e;
  const pgErr = err as { code?: string; constraint?: string };
  return pgErr?.code === "23505" && (!constraint || pgErr.constraint === constraint);
}

/** Emails are unique case-insensitively (users_email_lower_uq). */
export const isDuplicateEmail = (e: unknown) => isUniqueViolation(e, "users_email_lower_uq");
