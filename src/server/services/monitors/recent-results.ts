import { sql } from "drizzle-orm";
import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { RESULT_COLUMNS, toResultPoint, type ResultPoint, type ResultRow } from "../../monitors/result-rows";
import { regionNames } from "../../monitors/regions";
import { getMonitorOrThrow } from "./internal";

/** Latest raw checks of one monitor, newest first, via the (monitor, time) index; cursor = ISO time. */
export async function recentResults({ ctx, monitorId, limit = 100, before, after }: { ctx: Ctx; monitorId: string; limit?: number; before?: Date; after?: Date }): Promise<ResultPoint[]> {
  requirePermission(ctx, "org:read");
  const m = await getMonitorOrThrow(db(), ctx.org.id, monitorId);
  const names = await regionNames();
  const r = await db().execute<ResultRow>(sql`
    select ${RESULT_COLUMNS}
    from check_results where monitor_seq = ${m.seq}
      ${before ? sql`and scheduled_at < ${before.toISOString()}::timestamptz` : sql``}
      ${after ? sql`and scheduled_at >= ${after.toISOString()}::timestamptz` : sql``}
    order by scheduled_at desc limit ${Math.min(Math.max(1, limit), 1000)}`);
  return r.rows.map((x) => toResultPoint(x, names));
}
