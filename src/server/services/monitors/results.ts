import { sql } from "drizzle-orm";
import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { decodeResultCode } from "../../monitors/result-codes";
import { regionNames } from "../../monitors/regions";
import type { ResultPoint } from "./recent-results";
import { getMonitorOrThrow } from "./internal";

export type ResultsPage = { data: ResultPoint[]; next: { t: string; r: number } | null };
const opt = (n: number) => (n < 0 ? null : n);

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
  const r = await db().execute<{
    scheduled_at: Date | string;
    region_id: number;
    result: number;
    status_code: number;
    total_ms: number;
    dns_ms: number;
    connect_ms: number;
    tls_ms: number;
    ttfb_ms: number;
  }>(sql`
    select scheduled_at, region_id, result, status_code, total_ms, dns_ms, connect_ms, tls_ms, ttfb_ms
    from check_results where monitor_seq = ${m.seq}
      ${from ? sql`and scheduled_at >= ${from.toISOString()}::timestamptz` : sql``}
      ${to ? sql`and scheduled_at < ${to.toISOString()}::timestamptz` : sql``}
      ${after ? sql`and (scheduled_at, region_id) < (${after.t}::timestamptz, ${after.r}::smallint)` : sql``}
    order by scheduled_at desc, region_id desc limit ${limit + 1}`);
  const rows = r.rows.slice(0, limit);
  const last = rows.at(-1);
  return {
    data: rows.map((x) => ({
      at: new Date(x.scheduled_at).toISOString(),
      region: names.get(x.region_id) ?? String(x.region_id),
      ...decodeResultCode(x.result),
      statusCode: x.status_code || null,
      totalMs: x.total_ms,
      dnsMs: opt(x.dns_ms),
      connectMs: opt(x.connect_ms),
      tlsMs: opt(x.tls_ms),
      ttfbMs: opt(x.ttfb_ms),
    })),
    next: r.rows.length > limit && last ? { t: new Date(last.scheduled_at).toISOString(), r: last.region_id } : null,
  };
}
