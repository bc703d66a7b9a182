import { and, desc, eq, inArray, isNull, like, lt, or } from "drizzle-orm";
import { db } from "../../db/client";
import { auditLog, memberships, users } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";

/** The organization's audit log plus its current members' sign-in and 2FA events, newest first. */
export async function listAuditLog({ ctx, before, limit = 50 }: { ctx: Ctx; before?: number; limit?: number }) {
  requirePermission(ctx, "audit:read");
  const memberIds = (await db().select({ id: memberships.userId }).from(memberships).where(eq(memberships.organizationId, ctx.org.id))).map((m) => m.id);
  const scope = or(
    eq(auditLog.organizationId, ctx.org.id),
    and(isNull(auditLog.organizationId), like(auditLog.action, "auth.%"), inArray(auditLog.actorUserId, memberIds.length ? memberIds : ["00000000-0000-0000-0000-000000000000"])),
  );
  const rows = await db()
    .select({ entry: auditLog, actorName: users.name, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(before ? and(scope, lt(auditLog.id, before)) : scope)
    .orderBy(desc(auditLog.id))
    .limit(Math.min(limit, 200) + 1);
  const page = rows.slice(0, limit);
  return { data: page, nextCursor: rows.length > limit ? page.at(-1)!.entry.id : null };
}
