import { and, desc, eq, like } from "drizzle-orm";
import { db } from "../../db/client";
import { auditLog } from "../../db/schema";

/** A user's own recent sign-ins and security changes. */
export async function listOwnSecurityEvents({ userId, limit = 10 }: { userId: string; limit?: number }) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, userId), like(auditLog.action, "auth.%")))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
