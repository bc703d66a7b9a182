import { sql } from "drizzle-orm";
import { db, pool } from "../../db/client";
import type { Ctx } from "../../context";
import { Invalid, NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { percentile } from "../../monitors/histogram";

export const WINDOWS = { "24h": 24 * 3600, "7d": 7 * 86400, "30d": 30 * 86400, "90d": 90 * 86400 } as const;

export type UptimeWindow = keyof typeof WINDOWS;

export type UptimeSummary = {
  window: UptimeWindow;
  checks: number;
  successes: number;
  uptimePercent: number | null;
  latency: { avg: number | null; p50: number | null; p95: number | null; p99: number | null };
};

/**
 * Uptime and latency percentiles for a window, from rollups only: hourly rows for 24 h,
 * daily rows (whole UTC days, today included) beyond. Percentiles are read from the merged
 * latency histograms, within ±10% (see histogram.ts).
 */
export async function getUptime({ ctx, monitorId, window }: { ctx: Ctx; monitorId: string; window: string }): Promise<UptimeSummary> {
  requirePermission(ctx, "org:read");
  if (!(window in WINDOWS)) throw new Invalid(`window must be one of ${Object.keys(WINDOWS).join(", ")}`, { window: [`Use one of ${Object.keys(WINDOWS).join(", ")}`] });
  if (!UUID.test(monitorId)) throw new NotFound("Monitor not found.");
  // One named statement: the tenant-scoped monitor lookup and its rollup sums together.
  const w = window as UptimeWindow;
  const { table, from } = rangeOf(w, new Date());
  const { rows } = await pool().query<{ found: boolean; checks: string; successes: string; sum: string; hist: number[] | null }>({
    name: `perigee_uptime_${table}`,
    text: `with m as (select seq from monitors where id = $1 and organization_id = $2)
      select exists(select 1 from m) as found, coalesce(sum(checks), 0) as checks, coalesce(sum(successes), 0) as successes,
             coalesce(sum(latency_sum_ms), 0) as sum, perigee_hist_sum(latency_hist) as hist
      from ${table} where monitor_seq = (select seq from m) and bucket >= $3`,
    values: [monitorId, ctx.org.id, from],
  });
  if (!rows[0]?.found) throw new NotFound("Monitor not found.");
  return summaryOf(w, rows[0]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rangeOf(window: UptimeWindow, now: Date) {
  const seconds = WINDOWS[window];
  const table = seconds <= 86400 ? "check_rollups_hourly" : "check_rollups_daily";
  const from = new Date(now.getTime() - seconds * 1000);
  if (table === "check_rollups_hourly") from.setUTCMinutes(0, 0, 0);
  else from.setUTCHours(0, 0, 0, 0);
  return { table, from };
}

function summaryOf(window: UptimeWindow, row: { checks: string; successes: string; sum: string; hist: number[] | null }): UptimeSummary {
  const checks = Number(row.checks);
  const successes = Number(row.successes);
  const hist = row.hist ?? [];
  return {
    window,
    checks,
    successes,
    uptimePercent: checks ? (successes / checks) * 100 : null,
    latency: { avg: successes ? Math.round(Number(row.sum) / successes) : null, p50: percentile(hist, 0.5), p95: percentile(hist, 0.95), p99: percentile(hist, 0.99) },
  };
}

export async function uptimeForSeq({ seq, window, now = new Date() }: { seq: number; window: UptimeWindow; now?: Date }): Promise<UptimeSummary> {
  const { table, from } = rangeOf(window, now);
  const r = await db().execute<{ checks: string; successes: string; sum: string; hist: number[] | null }>(sql`
    select coalesce(sum(checks), 0) as checks, coalesce(sum(successes), 0) as successes,
           coalesce(sum(latency_sum_ms), 0) as sum, perigee_hist_sum(latency_hist) as hist
    from ${sql.raw(table)} where monitor_seq = ${seq} and bucket >= ${from.toISOString()}::timestamptz`);
  return summaryOf(window, r.rows[0]!);
}
