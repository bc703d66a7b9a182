import { sql } from "drizzle-orm";
import { db } from "../db/client";
import { log } from "../log";

const DAY = 86_400_000;
const name = (d: Date) => `check_results_p${d.toISOString().slice(0, 10).replace(/-/g, "")}`;

/** Daily partitions from yesterday to `aheadDays` ahead; safe to run from every process. */
export async function ensurePartitions(now = new Date(), aheadDays = 7): Promise<string[]> {
  const created: string[] = [];
  const start = new Date(now);
  start.setUTCHours(0, 0, 0, 0);
  for (let i = -1; i <= aheadDays; i++) {
    const from = new Date(start.getTime() + i * DAY);
    const to = new Date(from.getTime() + DAY);
    const exists = await db().execute(sql`select 1 from pg_class where relname = ${name(from)}`);
    if (exists.rows.length) continue;
    try {
      await db().execute(sql.raw(`create table if not exists "${name(from)}" partition of check_results for values from ('${from.toISOString()}') to ('${to.toISOString()}')`));
      created.push(name(from));
    } catch (e) {
      // Rows for that day already sit in the default partition (e.g. a clock jump); they stay queryable there.
      log.warn("could not create results partition", { partition: name(from), err: (e as Error).message });
    }
  }
  return created;
}

/** Retention for raw results: whole days are dropped, which is instant and leaves no bloat. */
export async function dropPartitionsBefore(cutoff: Date): Promise<string[]> {
  const r = await db().execute<{ relname: string }>(sql`
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'check_results' and c.relname ~ '^check_results_p[0-9]{8}$'`);
  const cut = cutoff.toISOString().slice(0, 10).replace(/-/g, "");
  const dropped: string[] = [];
  for (const { relname } of r.rows) {
    // A partition covers one day; drop it only once that whole day is before the cutoff.
    if (relname.slice(-8) < cut) {
      await db().execute(sql.raw(`drop table if exists "${relname}"`));
      dropped.push(relname);
    }
  }
  return dropped;
}

/**
 * Rebuilds the index of finished days' partitions fully packed (fillfactor 100). Live inserts
 * interleave monitors, so B-tree pages split 50/50 and stay half empty; once a day is over no
 * row arrives for it any more and the rebuilt index is about half the size. Runs once per day
 * partition (marked with a table comment) and is safe to run from several workers.
 */
export async function compactFinishedPartitions(now = new Date()): Promise<string[]> {
  const today = now.toISOString().slice(0, 10).replace(/-/g, "");
  const r = await db().execute<{ relname: string; note: string | null }>(sql`
    select c.relname, obj_description(c.oid, 'pg_class') as note from pg_inherits i
    join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
    where p.relname = 'check_results' and c.relname ~ '^check_results_p[0-9]{8}$'`);
  const done: string[] = [];
  for (const { relname, note } of r.rows) {
    // A day is finished once it is at least one day behind (late probe results arrive within minutes).
    if (relname.slice(-8) >= today || note === "compacted") continue;
    const yesterday = new Date(now.getTime() - DAY).toISOString().slice(0, 10).replace(/-/g, "");
    if (relname.slice(-8) === yesterday && now.getUTCHours() < 1) continue;
    await db().execute(sql.raw(`reindex table "${relname}"`));
    await db().execute(sql.raw(`comment on table "${relname}" is 'compacted'`));
    done.push(relname);
  }
  return done;
}
