import { sql } from "drizzle-orm";
import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getMonitorOrThrow } from "./internal";

/** One bar per UTC day for the last `days` days: uptime % or null when nothing ran. */
export async function dailyBars({ ctx, monitorId, days = 90 }: { ctx: Ctx; monitorId: string; days?: number }) {
  requirePermission(ctx, "org:read");
  const m = await getMonitorOrThrow(db(), ctx.org.id, monitorId);
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - (days - 1));
  const r = await db().execute<{ bucket: Date | string; checks: number; successes: number }>(sql`
    select bucket, checks, successes from check_rollups_daily where monitor_seq = ${m.seq} and bucket >= ${start.toISOString()}::timestamptz`);
  const map = new Map(r.rows.map((x) => [new Date(x.bucket).getTime(), x]));
  return Array.from({ length: days }, (_, i) => {
    const t = start.getTime() + i * 86400_000;
    const x = map.get(t);
    return { day: new Date(t).toISOString().slice(0, 10), checks: x ? Number(x.checks) : 0, uptimePercent: x && Number(x.checks) ? (Number(x.successes) / Number(x.checks)) * 100 : null };
  });
}
