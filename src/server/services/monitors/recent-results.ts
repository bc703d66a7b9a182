import { sql } from "drizzle-orm";
import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { decodeResultCode } from "../../monitors/result-codes";
import { regionNames } from "../../monitors/regions";
import { getMonitorOrThrow } from "./internal";

export type ResultPoint = {
  at: string;
  region: string;
  outcome: "up" | "degraded" | "down";
  statusCode: number | null;
  errorClass: string | null;
  totalMs: number;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
};

const opt = (n: number) => (n < 0 ? null : n);

/** Latest raw checks of one monitor, newest first, via the (monitor, time) index; cursor = ISO time. */
export async function recentResults({ ctx, monitorId, limit = 100, before, after }: { ctx: Ctx; monitorId: string; limit?: number; before?: Date; after?: Date }): Promise<ResultPoint[]> {
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
      ${before ? sql`and scheduled_at < ${before.toISOString()}::timestamptz` : sql``}
      ${after ? sql`and scheduled_at >= ${after.toISOString()}::timestamptz` : sql``}
    order by scheduled_at desc limit ${Math.min(Math.max(1, limit), 1000)}`);
  return r.rows.map((x) => ({
    at: new Date(x.scheduled_at).toISOString(),
    region: names.get(x.region_id) ?? String(x.region_id),
    ...decodeResultCode(x.result),
    statusCode: x.status_code || null,
    totalMs: x.total_ms,
    dnsMs: opt(x.dns_ms),
    connectMs: opt(x.connect_ms),
    tlsMs: opt(x.tls_ms),
    ttfbMs: opt(x.ttfb_ms),
  }));
}
