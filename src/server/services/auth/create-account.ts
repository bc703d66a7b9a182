import { z } from "zod";
import { db } from "../../db/client";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { parseInput } from "../../lib/parse";
import { emailSchema, orgNameSchema, passwordSchema, personNameSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";
import { type CreatedAccount, insertAccount, isDuplicateEmail } from "./insert-account";

export const createAccountSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  organizationName: orgNameSchema,
  // Defaults to the email's local part: operators often only know the address.
  name: personNameSchema.optional(),
  isAdmin: z.boolean().default(false),
});

export type CreateAccountInput = z.input<typeof createAccountSchema>;

/** Operator path (CLI): user + organization + ADMIN membership + audit row, one transaction. */
export async function createAccount({ input, meta }: { input: CreateAccountInput; meta: RequestMeta }): Promise<CreatedAccount> {
  const d = parseInput(createAccountSchema, input);
  const passwordHash = await hashPassword(d.password);
  try {
    return await db().transaction(async (tx) => {
      // The operator vouches for the address they typed.
      const made = await insertAccount(tx, { ...d, name: d.name ?? d.email.split("@")[0]!, passwordHash, emailConfirmed: true });
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
