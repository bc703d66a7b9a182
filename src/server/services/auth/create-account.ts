import { z } from "zod";
import { db } from "../../db/client";
import { memberships, organizations, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict } from "../../errors";
import { hashPassword } from "../../auth/password";
import { parseInput } from "../../lib/parse";
import { slugWithSuffix } from "../../lib/slug";
import { emailSchema, orgNameSchema, passwordSchema, personNameSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";
import { isUniqueViolation } from "./sign-up";

export const createAccountSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  organizationName: orgNameSchema,
  name: personNameSchema.optional(),
  isAdmin: z.boolean().default(false),
});

/** Operator path (CLI): user + organization + ADMIN membership + audit row, one transaction. */
export async function createAccount({ input, meta }: { input: unknown; meta: RequestMeta }) {
  const d = parseInput(createAccountSchema, input);
  const passwordHash = await hashPassword(d.password);
  try {
    return await db().transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: d.email, name: d.name ?? d.email.split("@")[0]!, passwordHash, isAdmin: d.isAdmin })
        .returning();
      const [org] = await tx.insert(organizations).values({ name: d.organizationName, slug: slugWithSuffix(d.organizationName) }).returning();
      await tx.insert(memberships).values({ organizationId: org!.id, userId: user!.id, role: "ADMIN" });
      await recordAudit(tx, { organizationId: org!.id, actorUserId: user!.id, action: "account.created_by_cli", targetType: "user", targetId: user!.id, metadata: { isAdmin: d.isAdmin }, meta });
      return { user: { id: user!.id, email: user!.email }, organization: { id: org!.id, slug: org!.slug, name: org!.name } };
    });
  } catch (e) {
    if (isUniqueViolation(e, "users_email_lower_uq")) throw new Conflict(`An account with email ${d.email} already exists.`, { email: ["An account with this email already exists."] });
    throw e;
  }
}
