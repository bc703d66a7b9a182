import { sql } from "drizzle-orm";
import { db } from "../db/client";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Recomputes the 89 complete days before today for every monitor (one pass over the daily rollups). */
export async function refreshUptimeSummaries(now = new Date()): Promise<number> {
  const today = day(now);
  const r = await db().execute(sql`
    insert into uptime_90d (monitor_seq, through_day, checks, successes, computed_at)
    select monitor_seq, ${today}::date - 1, sum(checks), sum(successes), now()
    from check_rollups_daily
    where bucket >= (${today}::date - 89)::timestamptz and bucket < ${today}::date::timestamptz
    group by monitor_seq
    on conflict (monitor_seq) do update set through_day = excluded.through_day, checks = excluded.checks,
      successes = excluded.successes, computed_at = excluded.computed_at`);
  return r.rowCount ?? 0;
}

export type Uptime90d = { checks: number; successes: number; uptimePercent: number | null };

/**
 * 90-day uptime (today plus the 89 days before) for many monitors at once, from one row per
 * monitor: the summary of complete days plus the day's running counts kept beside it by every
 * results batch. A monitor whose running counts are not today's (not checked yet today, or a
 * summary made before they were kept) reads today's daily rollup row instead; one whose summary
 * of complete days is not current (e.g. just after midnight, before the hourly refresh) is
 * answered from its daily rows.
 */
export async function uptime90dFor(seqs: number[], now = new Date()): Promise<Map<number, Uptime90d>> {
  const out = new Map<number, Uptime90d>();
  if (!seqs.length) return out;
  const today = day(now);
  const r = await db().execute<{ monitor_seq: number; fresh: boolean; checks: string; successes: string }>(sql`
    select s.seq as monitor_seq, (u.through_day = ${today}::date - 1) as fresh,
           coalesce(u.checks, 0) + coalesce(t.checks, 0) as checks, coalesce(u.successes, 0) + coalesce(t.successes, 0) as successes
    from unnest(${sql.param(seqs)}::int[]) as s(seq)
    left join uptime_90d u on u.monitor_seq = s.seq
    left join lateral (
      select u.today_checks as checks, u.today_successes as successes where u.today = ${today}::date
      union all
      select d.checks, d.successes from check_rollups_daily d
      where u.today is distinct from ${today}::date and d.monitor_seq = s.seq and d.bucket = ${today}::date::timestamptz
    ) t on true`);
  const stale: number[] = [];
  for (const row of r.rows) {
    if (!row.fresh && Number(row.checks) > 0) stale.push(row.monitor_seq);
    const checks = Number(row.checks);
    const successes = Number(row.successes);
    out.set(row.monitor_seq, { checks, successes, uptimePercent: checks ? (successes / checks) * 100 : null });
  }
  if (stale.length) {
    const f = await db().execute<{ monitor_seq: number; checks: string; successes: string }>(sql`
      select monitor_seq, sum(checks) as checks, sum(successes) as successes from check_rollups_daily
      where monitor_seq = any(${sql.param(stale)}::int[]) and bucket >= (${today}::date - 89)::timestamptz group by monitor_seq`);
    for (const row of f.rows) {
      const checks = Number(row.checks);
      out.set(row.monitor_seq, { checks, successes: Number(row.successes), uptimePercent: checks ? (Number(row.successes) / checks) * 100 : null });
    }
  }
  return out;
}
