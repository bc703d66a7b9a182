import { and, asc, eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { toMonitorViews, type MonitorView } from "./view";

/**
 * Monitors in creation order, keyset-paginated on (created_at to the millisecond, id):
 * monitors created while a client pages through appear at the end, never twice or skipped.
 */
export async function listMonitorsPage({ ctx, limit, after }: { ctx: Ctx; limit: number; after?: { t: string; id: string } }): Promise<{ data: MonitorView[]; next: { t: string; id: string } | null }> {
  requirePermission(ctx, "org:read");
  const createdMs = sql`date_trunc('milliseconds', ${monitors.createdAt})`;
  const where = [eq(monitors.organizationId, ctx.org.id)];
  if (after) where.push(sql`(${createdMs}, ${monitors.id}) > (${after.t}::timestamptz, ${after.id}::uuid)`);
  const rows = await db()
    .select()
    .from(monitors)
    .where(and(...where))
    .orderBy(createdMs, asc(monitors.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: await toMonitorViews(page), next: rows.length > limit && last ? { t: last.createdAt.toISOString(), id: last.id } : null };
}
