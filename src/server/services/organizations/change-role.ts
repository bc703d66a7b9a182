import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships } from "../../db/schema";
import type { Ctx } from "../../context";
import { Conflict } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { changeRoleSchema } from "../../validation/organizations";
import { recordAudit } from "../audit/record";
import { getMemberOrThrow, lockAdminCount } from "./internal";
import { forgetApiKeysOf } from "../api-keys/forget";

export const LAST_ADMIN = "An organization needs at least one ADMIN. Make someone else an ADMIN first.";

export async function changeRole({ ctx, input }: { ctx: Ctx; input: unknown }) {
  requirePermission(ctx, "members:manage");
  const { userId, role } = parseInput(changeRoleSchema, input);
  await db().transaction(async (tx) => {
    const admins = await lockAdminCount(tx, ctx.org.id);
    const m = await getMemberOrThrow(tx, ctx.org.id, userId);
    if (m.role === role) return;
    if (m.role === "ADMIN" && admins <= 1) throw new Conflict(LAST_ADMIN, { role: [LAST_ADMIN] });
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.organizationId, ctx.org.id), eq(memberships.userId, userId)));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "member.role_changed",
      targetType: "user",
      targetId: userId,
      metadata: { from: m.role, to: role },
      meta: ctx.meta,
    });
  });
  // Their API keys re-resolve against the new membership on the next request.
  await forgetApiKeysOf({ organizationId: ctx.org.id, userId });
}
