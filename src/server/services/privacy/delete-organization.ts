import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid, NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { deleteOrganizationSchema } from "../../validation/privacy";
import { eraseOrganization, reauthenticate } from "./internal";

/** ADMIN only, with the slug typed out and the password (or a 2FA code). */
export async function deleteOrganization({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ purgeAfter: Date }> {
  requirePermission(ctx, "org:manage");
  const data = parseInput(deleteOrganizationSchema, input);
  if (data.confirm.trim() !== ctx.org.slug) throw new Invalid(`Type the organization's slug "${ctx.org.slug}" to confirm.`, { confirm: ["Does not match the slug"] });
  await db().transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, ctx.actor.userId)).for("update");
    if (!user) throw new NotFound("Account not found.");
    await reauthenticate(tx, user, data);
  });
  return eraseOrganization({ organizationId: ctx.org.id, byUserId: ctx.actor.userId, meta: ctx.meta });
}
