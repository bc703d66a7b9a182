import { and, desc, eq, lt } from "drizzle-orm";
import { db } from "../../db/client";
import { notificationLog, type NotificationLogEntry } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";

/** The notification log: every delivery attempt, newest first, optionally for one channel. */
export async function listNotificationLog({ ctx, channelId, beforeId, limit = 100 }: { ctx: Ctx; channelId?: string; beforeId?: number; limit?: number }): Promise<NotificationLogEntry[]> {
  requirePermission(ctx, "org:read");
  const where = [eq(notificationLog.organizationId, ctx.org.id)];
  if (channelId) where.push(eq(notificationLog.channelId, channelId));
  if (beforeId) where.push(lt(notificationLog.id, beforeId));
  return db()
    .select()
    .from(notificationLog)
    .where(and(...where))
    .orderBy(desc(notificationLog.id))
    .limit(Math.min(Math.max(limit, 1), 500));
}
