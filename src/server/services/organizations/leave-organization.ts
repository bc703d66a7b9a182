import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships } from "../../db/schema";
import type { Ctx } from "../../context";
import { Conflict } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";
import { LAST_ADMIN } from "./change-role";
import { lockAdminCount } from "./internal";
import { forgetApiKeysOf } from "../api-keys/forget";

export async function leaveOrganization({ ctx }: { ctx: Ctx }) {
  requirePermission(ctx, "org:read");
  await db().transaction(async (tx) => {
    const admins = await lockAdminCount(tx, ctx.org.id);
    if (ctx.org.role === "ADMIN" && admins <= 1) throw new Conflict(LAST_ADMIN);
    await tx.delete(memberships).where(and(eq(memberships.organizationId, ctx.org.id), eq(memberships.userId, ctx.actor.userId)));
    await recordAudit(tx, { organizationId: ctx.org.id, actorUserId: ctx.actor.userId, action: "member.left", targetType: "user", targetId: ctx.actor.userId, meta: ctx.meta });
  });
  // Their API keys re-resolve against the new membership on the next request.
  await forgetApiKeysOf({ organizationId: ctx.org.id, userId: ctx.actor.userId });
}
