import { and, asc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { notificationChannels } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { toChannelView } from "../../notifications/channel-config";
import type { ChannelView } from "../../notifications/channel-schema";

/**
 * Channels in creation order. `after` is an opaque cursor from a previous page
 * ("<createdAt ISO>|<id>"), stable under inserts.
 */
export async function listChannels({ ctx, limit = 100, after }: { ctx: Ctx; limit?: number; after?: { createdAt: Date; id: string } }): Promise<ChannelView[]> {
  requirePermission(ctx, "org:read");
  const where = [eq(notificationChannels.organizationId, ctx.org.id)];
  if (after) {
    // Millisecond precision on both sides: JavaScript dates cannot carry Postgres' microseconds.
    where.push(sql`(date_trunc('milliseconds', ${notificationChannels.createdAt}), ${notificationChannels.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`);
  }
  const rows = await db()
    .select()
    .from(notificationChannels)
    .where(and(...where))
    .orderBy(sql`date_trunc('milliseconds', ${notificationChannels.createdAt})`, asc(notificationChannels.id))
    .limit(Math.min(Math.max(limit, 1), 1000));
  return rows.map(toChannelView);
}
