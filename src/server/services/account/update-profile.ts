import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { NotFound } from "../../errors";
import { parseInput } from "../../lib/parse";
import { updateProfileSchema } from "../../validation/account";
import { recordAudit } from "../audit/record";

/** Renames the user. The email changes only through a confirmed link (requestEmailChange). */
export async function updateProfile({ userId, input, meta }: { userId: string; input: unknown; meta: RequestMeta }): Promise<{ name: string }> {
  const { name } = parseInput(updateProfileSchema, input);
  return db().transaction(async (tx) => {
    const [u] = await tx.update(users).set({ name, updatedAt: new Date() }).where(eq(users.id, userId)).returning({ name: users.name });
    if (!u) throw new NotFound("Account not found.");
    await recordAudit(tx, { organizationId: null, actorUserId: userId, action: "auth.profile_updated", meta });
    return u;
  });
}
