import { z } from "zod";
import { db, type Tx } from "../../db/client";
import { memberships, organizations, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { parseInput } from "../../lib/parse";
import { slugWithSuffix } from "../../lib/slug";
import { emailSchema, orgNameSchema, passwordSchema, personNameSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";

export const createAccountSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  organizationName: orgNameSchema,
  // Defaults to the email's local part: operators often only know the address.
  name: personNameSchema.optional(),
  isAdmin: z.boolean().default(false),
});
export type CreateAccountInput = z.input<typeof createAccountSchema>;

export type CreatedAccount = {
  user: { id: string; email: string };
  organization: { id: string; slug: string; name: string };
};

/** The rows every new account starts with: user, organization, and the user as its ADMIN. */
export async function insertAccount(tx: Tx, a: { email: string; name: string; passwordHash: string; organizationName: string; isAdmin?: boolean }): Promise<CreatedAccount> {
  const [user] = await tx
    .insert(users)
    .values({ email: a.email, name: a.name, passwordHash: a.passwordHash, isAdmin: a.isAdmin ?? false })
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

/** Operator path (CLI): user + organization + ADMIN membership + audit row, one transaction. */
export async function createAccount({ input, meta }: { input: CreateAccountInput; meta: RequestMeta }): Promise<CreatedAccount> {
  const d = parseInput(createAccountSchema, input);
  const passwordHash = await hashPassword(d.password);
  try {
    return await db().transaction(async (tx) => {
      const made = await insertAccount(tx, { ...d, name: d.name ?? d.email.split("@")[0]!, passwordHash });
      await recordAudit(tx, {
        organizationId: made.organization.id,
        actorUserId: made.user.id,
        action: "account.created_by_cli",
        targetType: "user",
        targetId: made.user.id,
        metadata: { isAdmin: d.isAdmin },
        meta,
      });
      return made;
    });
  } catch (e) {
    if (isDuplicateEmail(e)) throw new Conflict(`An account with ${d.email} already exists.`, { email: [`An account with ${d.email} already exists.`] });
    throw e;
  }
}
