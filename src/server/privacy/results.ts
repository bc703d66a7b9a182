import { type SQL, sql } from "drizzle-orm";
import { db } from "../db/client";

/**
 * Deleting raw results and rollups of given monitors. They reference monitors by `monitor_seq`
 * without a foreign key (a 4-byte key on the high-volume tables), so nothing cascades: the
 * monitor delete job, retention and the organization purge all delete through here. Every
 * statement removes at most BATCH rows, so no transaction grows with the data and a rerun after
 * a crash simply continues.
 */
const BATCH = 5000;
const SEQ_CHUNK = 500;

export type ResultsDeleted = { results: number; hourly: number; daily: number; summaries: number };

/**
 * Runs a delete that removes at most `limit` rows (its own `limit ${limit}` subquery) until one
 * removes fewer: each statement is its own short transaction. Returns the rows deleted.
 */
export async function deleteInBatches(statement: (limit: number) => SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await db().execute(statement(BATCH));
    const n = r.rowCount ?? 0;
    total += n;
    if (n < BATCH) return total;
  }
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The partitions of check_results (daily ones and the default), with the day a daily one covers. */
async function resultPartitions(): Promise<{ relname: string; day: string | null }[]> {
  const r = await db().execute<{ relname: string }>(sql`
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'check_results' order by c.relname`);
  return r.rows.map(({ relname }) => ({ relname, day: /^check_results_p[0-9]{8}$/.test(relname) ? relname.slice(-8) : null }));
}

const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");

/**
 * Raw results of `seqs` (before `before`, or all), one partition at a time: a partition whose
 * day starts at or after `before` is skipped without a scan. A partition dropped meanwhile (by
 * retention in another worker) is skipped.
 */
async function deleteRaw(seqs: number[], before?: Date): Promise<number> {
  let total = 0;
  for (const { relname, day } of await resultPartitions()) {
    if (before && day && day > ymd(before)) continue;
    const table = sql.identifier(relname);
    const until = before ? sql`and scheduled_at < ${before.toISOString()}::timestamptz` : sql``;
    for (const part of chunks(seqs, SEQ_CHUNK)) {
      try {
        total += await deleteInBatches(
          (limit) => sql`delete from ${table} where ctid = any(array(select ctid from ${table} where monitor_seq = any(${sql.param(part)}::int[]) ${until} limit ${limit}))`,
        );
      } catch (e) {
        if ((e as { code?: string }).code === "42P01") break;
        throw e;
      }
    }
  }
  return total;
}

async function deleteRollups(table: "check_rollups_hourly" | "check_rollups_daily", seqs: number[], before?: Date): Promise<number> {
  const t = sql.identifier(table);
  const until = before ? sql`and bucket < ${before.toISOString()}::timestamptz` : sql``;
  let total = 0;
  for (const part of chunks(seqs, SEQ_CHUNK)) {
    total += await deleteInBatches((limit) => sql`delete from ${t} where ctid = any(array(select ctid from ${t} where monitor_seq = any(${sql.param(part)}::int[]) ${until} limit ${limit}))`);
  }
  return total;
}

/**
 * Deletes the raw results and hourly/daily rollups of these monitors — all of them, with their
 * 90-day summaries, or only those older than `before` (retention; the summaries are recomputed
 * hourly from what is left). Idempotent.
 */
export async function deleteResultsOf(seqs: number[], before?: Date): Promise<ResultsDeleted> {
  const unique = [...new Set(seqs)];
  if (!unique.length) return { results: 0, hourly: 0, daily: 0, summaries: 0 };
  const results = await deleteRaw(unique, before);
  const hourly = await deleteRollups("check_rollups_hourly", unique, before);
  const daily = await deleteRollups("check_rollups_daily", unique, before);
  let summaries = 0;
  if (!before) {
    for (const part of chunks(unique, SEQ_CHUNK)) summaries += (await db().execute(sql`delete from uptime_90d where monitor_seq = any(${sql.param(part)}::int[])`)).rowCount ?? 0;
  }
  return { results, hourly, daily, summaries };
}

/**
 * Monitor seqs that still have rollups or a 90-day summary but no monitor: a deleted monitor
 * whose delete job was lost (Redis flushed) or that was deleted before results were deleted
 * with it. Rollups exist for every hour a monitor had results, so this finds its raw results too.
 */
export async function orphanSeqs(): Promise<number[]> {
  const r = await db().execute<{ seq: number }>(sql`
    select distinct x.monitor_seq as seq from (
      select monitor_seq from check_rollups_daily union select monitor_seq from check_rollups_hourly union select monitor_seq from uptime_90d
    ) x where not exists (select 1 from monitors m where m.seq = x.monitor_seq)`);
  return r.rows.map((row) => row.seq);
}
