import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships } from "../../db/schema";
import type { Ctx } from "../../context";
import { Conflict } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { revokeUserSessions } from "../../auth/session";
import { recordAudit } from "../audit/record";
import { LAST_ADMIN } from "./change-role";
import { getMemberOrThrow, lockAdminCount } from "./internal";
import { forgetApiKeysOf } from "../api-keys/forget";

/** Removes a member and ends all their sessions at once. */
export async function removeMember({ ctx, userId }: { ctx: Ctx; userId: string }) {
  requirePermission(ctx, "members:manage");
  await db().transaction(async (tx) => {
    const admins = await lockAdminCount(tx, ctx.org.id);
    const m = await getMemberOrThrow(tx, ctx.org.id, userId);
    if (m.role === "ADMIN" && admins <= 1) throw new Conflict(LAST_ADMIN);
    await tx.delete(memberships).where(and(eq(memberships.organizationId, ctx.org.id), eq(memberships.userId, userId)));
    await revokeUserSessions(tx, userId);
    await recordAudit(tx, { organizationId: ctx.org.id, actorUserId: ctx.actor.userId, action: "member.removed", targetType: "user", targetId: userId, metadata: { role: m.role }, meta: ctx.meta });
  });
  // Their API keys re-resolve against the new membership on the next request.
  await forgetApiKeysOf({ organizationId: ctx.org.id, userId });
}
