import { and, asc, eq, ilike, inArray, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors, type MonitorState } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { uptime90dFor } from "../../monitors/uptime-summary";
import { forReader, toMonitorViews, type MonitorView } from "./view";

export type MonitorListItem = MonitorView & { uptime24h: number | null; uptime90d: number | null; sparkline: (number | null)[] };

/**
 * The monitors list: live state, last check, 24 h uptime and a 24-point hourly latency
 * sparkline — all from the hourly rollups, never from raw results.
 */
export async function listMonitors({ ctx, search, states }: { ctx: Ctx; search?: string; states?: MonitorState[] }): Promise<MonitorListItem[]> {
  requirePermission(ctx, "org:read");
  const where = [eq(monitors.organizationId, ctx.org.id)];
  if (search?.trim()) where.push(ilike(monitors.name, `%${search.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  if (states?.length) where.push(inArray(monitors.state, states));
  const rows = await db()
    .select()
    .from(monitors)
    .where(and(...where))
    .orderBy(asc(monitors.name))
    .limit(1000);
  if (rows.length === 0) return [];

  const seqs = rows.map((r) => r.seq);
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  since.setUTCMinutes(0, 0, 0);
  const roll = await db().execute<{ monitor_seq: number; bucket: Date | string; checks: number; successes: number; latency_sum_ms: string }>(sql`
    select monitor_seq, bucket, checks, successes, latency_sum_ms from check_rollups_hourly
    where monitor_seq = any(${sql.param(seqs)}::int[]) and bucket >= ${since.toISOString()}::timestamptz`);
  const u90 = await uptime90dFor(seqs);
  const byMonitor = new Map<number, typeof roll.rows>();
  for (const r of roll.rows) (byMonitor.get(r.monitor_seq) ?? byMonitor.set(r.monitor_seq, []).get(r.monitor_seq)!).push(r);

  const views = new Map((await toMonitorViews(rows)).map((v) => [v.id, forReader(ctx, v)]));
  return rows.map((m) => {
    const rs = byMonitor.get(m.seq) ?? [];
    const checks = rs.reduce((s, r) => s + Number(r.checks), 0);
    const ok = rs.reduce((s, r) => s + Number(r.successes), 0);
    const spark: (number | null)[] = [];
    for (let h = 0; h < 24; h++) {
      const t = since.getTime() + (h + 1) * 3600 * 1000;
      const r = rs.find((x) => new Date(x.bucket).getTime() === t);
      spark.push(r && Number(r.successes) > 0 ? Math.round(Number(r.latency_sum_ms) / Number(r.successes)) : null);
    }
    return { ...views.get(m.id)!, uptime24h: checks ? (ok / checks) * 100 : null, uptime90d: u90.get(m.seq)?.uptimePercent ?? null, sparkline: spark };
  });
}
