import { sql } from "drizzle-orm";
import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { RESULT_COLUMNS, toResultPoint, type ResultPoint, type ResultRow } from "../../monitors/result-rows";
import { regionNames } from "../../monitors/regions";
import { getMonitorOrThrow } from "./internal";

export type ResultsPage = { data: ResultPoint[]; next: { t: string; r: number } | null };

/**
 * Raw checks of one monitor, newest first, in [from, to). Keyset pagination on
 * (scheduled_at, region) — stable while new checks arrive, since they sort before page one.
 */
export async function listResults({
  ctx,
  monitorId,
  from,
  to,
  limit,
  after,
}: {
  ctx: Ctx;
  monitorId: string;
  from?: Date;
  to?: Date;
  limit: number;
  after?: { t: string; r: number };
}): Promise<ResultsPage> {
  requirePermission(ctx, "org:read");
  const m = await getMonitorOrThrow(db(), ctx.org.id, monitorId);
  const names = await regionNames();
  const r = await db().execute<ResultRow>(sql`
    select ${RESULT_COLUMNS}
    from check_results where monitor_seq = ${m.seq}
      ${from ? sql`and scheduled_at >= ${from.toISOString()}::timestamptz` : sql``}
      ${to ? sql`and scheduled_at < ${to.toISOString()}::timestamptz` : sql``}
      ${after ? sql`and (scheduled_at, region_id) < (${after.t}::timestamptz, ${after.r}::smallint)` : sql``}
    order by scheduled_at desc, region_id desc limit ${limit + 1}`);
  const rows = r.rows.slice(0, limit);
  const last = rows.at(-1);
  return {
    data: rows.map((x) => toResultPoint(x, names)),
    next: r.rows.length > limit && last ? { t: new Date(last.scheduled_at).toISOString(), r: last.region_id } : null,
  };
}
