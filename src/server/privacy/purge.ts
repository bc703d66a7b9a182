import { sql } from "drizzle-orm";
import { db } from "../db/client";
import { env } from "../env";
import { log } from "../log";
import { checkQueue, syncSchedule, type CheckJob } from "../monitors/schedule";

const DAY_MS = 86_400_000;
/** Rows per statement: a large organization never holds one giant transaction or lock. */
const BATCH = 5000;
/** Monitor seqs per statement on the results, rollup and summary tables. */
const SEQ_BATCH = 100;

/**
 * Purges organizations and accounts deleted more than `graceDays` ago (default
 * ERASURE_GRACE_DAYS; 0 = everything deleted now): every row in every table, results and
 * rollups included, their schedulers and queued jobs. Sealed secrets live in the rows, so
 * they go with them. Billing records stay (the law keeps them), detached from the
 * organization by their foreign keys (`on delete set null`).
 *
 * Each step is its own short statement and repeats safely: a purge interrupted halfway is
 * finished by the next run, because the organization or user row is deleted last.
 */
export async function purgeDeleted({ graceDays }: { graceDays?: number } = {}): Promise<{ organizations: number; users: number }> {
  const cutoff = new Date(Date.now() - (graceDays ?? env().ERASURE_GRACE_DAYS) * DAY_MS).toISOString();
  const orgs = await db().execute<{ id: string }>(sql`select id from organizations where deleted_at is not null and deleted_at <= ${cutoff}::timestamptz order by deleted_at`);
  for (const o of orgs.rows) await purgeOrganization(o.id);
  const users = await db().execute<{ id: string; email: string }>(sql`select id, email from users where deleted_at is not null and deleted_at <= ${cutoff}::timestamptz order by deleted_at`);
  for (const u of users.rows) await purgeUser(u.id, u.email);
  if (orgs.rows.length || users.rows.length) log.info("privacy purge", { organizations: orgs.rows.length, users: users.rows.length });
  return { organizations: orgs.rows.length, users: users.rows.length };
}

/** Deletes `select` ids of `table` in batches until none is left. */
async function drain(table: string, idColumn: string, where: ReturnType<typeof sql>): Promise<void> {
  for (;;) {
    const r = await db().execute(
      sql`delete from ${sql.identifier(table)} where ${sql.identifier(idColumn)} in (select ${sql.identifier(idColumn)} from ${sql.identifier(table)} where ${where} limit ${BATCH})`,
    );
    if ((r.rowCount ?? 0) < BATCH) return;
  }
}

async function resultPartitions(): Promise<string[]> {
  const r = await db().execute<{ relname: string }>(sql`
    select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'check_results'`);
  return r.rows.map((x) => x.relname);
}

async function purgeOrganization(orgId: string): Promise<void> {
  const mons = await db().execute<{ id: string; seq: number; type: string; regions: string[]; interval_seconds: number; paused: boolean; version: number }>(
    sql`select id, seq, type, regions, interval_seconds, paused, version from monitors where organization_id = ${orgId}`,
  );
  // Schedulers and queued check jobs first, so nothing writes new results while we delete.
  await Promise.all(mons.rows.map((m) => syncSchedule({ id: m.id, type: m.type as never, intervalSeconds: m.interval_seconds, regions: m.regions, paused: m.paused, version: m.version }, [], true)));
  await removeQueuedChecks(new Set(mons.rows.map((m) => m.id)), new Set(mons.rows.flatMap((m) => m.regions)));

  // Results, rollups and summaries name monitors by seq without a foreign key.
  const seqs = mons.rows.map((m) => m.seq);
  const parts = await resultPartitions();
  for (let i = 0; i < seqs.length; i += SEQ_BATCH) {
    const chunk = sql.param(seqs.slice(i, i + SEQ_BATCH));
    for (const p of parts) await db().execute(sql`delete from ${sql.identifier(p)} where monitor_seq = any(${chunk}::int[])`);
    for (const t of ["check_rollups_hourly", "check_rollups_daily", "uptime_90d"]) await db().execute(sql`delete from ${sql.identifier(t)} where monitor_seq = any(${chunk}::int[])`);
  }

  // The high-volume tables in batches; everything else goes with the organization's row.
  const byOrg = sql`organization_id = ${orgId}`;
  const monIds = sql`monitor_id in (select id from monitors where organization_id = ${orgId})`;
  await drain("check_failures", "id", monIds);
  await drain("notification_log", "id", byOrg);
  await drain("notification_deliveries", "id", byOrg);
  await drain("status_notice_deliveries", "id", byOrg);
  await drain("status_notices", "id", byOrg);
  await drain("monitor_events", "id", byOrg);
  await drain("api_access_log", "id", byOrg);
  await drain("audit_log", "id", byOrg);
  await drain("incidents", "id", byOrg);
  await db().execute(sql`delete from organizations where id = ${orgId}`);
}

/** Check jobs already queued (waiting or delayed) for the purged monitors. */
async function removeQueuedChecks(monitorIds: Set<string>, regions: Set<string>): Promise<void> {
  if (!monitorIds.size) return;
  regions.add("default");
  for (const region of regions) {
    const q = checkQueue(region);
    for (let start = 0; ; start += 1000) {
      const jobs = await q.getJobs(["waiting", "delayed", "prioritized"], start, start + 999);
      if (!jobs.length) break;
      const mine = jobs.filter((j) => j && monitorIds.has((j.data as CheckJob).monitorId));
      await Promise.all(mine.map((j) => j.remove().catch(() => undefined)));
      if (jobs.length < 1000) break;
      // Removed jobs shift the window: step back so none is skipped.
      start -= mine.length;
    }
  }
}

/**
 * A purged account: rows that only describe them go; rows of organizations that live on keep
 * the event but lose the person (actor, address, user agent). Foreign keys then null or
 * cascade the rest (memberships, sessions, API keys they created, codes and tokens).
 */
async function purgeUser(userId: string, email: string): Promise<void> {
  const actor = sql`actor_user_id = ${userId}`;
  await drain("audit_log", "id", sql`${actor} and organization_id is null`);
  for (;;) {
    const r = await db().execute(sql`update audit_log set actor_user_id = null, ip = null, user_agent = null where id in (select id from audit_log where ${actor} limit ${BATCH})`);
    if ((r.rowCount ?? 0) < BATCH) break;
  }
  await db().execute(sql`update audit_log set target_id = null where target_type = 'user' and target_id = ${userId}`);
  // Events that named them by address (an invitation, a role change) keep the action, not the address.
  await db().execute(sql`update audit_log set metadata = '{}'::jsonb where position(lower(${email}) in lower(metadata::text)) > 0`);
  await db().execute(sql`delete from invitations where lower(email) = lower(${email}) and accepted_at is null`);
  await db().execute(sql`update organizations set deleted_by_id = null where deleted_by_id = ${userId}`);
  await db().execute(sql`delete from users where id = ${userId}`);
}
