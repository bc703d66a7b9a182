import { inArray, sql } from "drizzle-orm";
import { purgeApiAccessLog } from "../api/retention";
import { billingEnabled, effectivePlan } from "../billing/effective";
import type { PlanLimits } from "../billing/plans";
import { db } from "../db/client";
import { monitors, organizations } from "../db/schema";
import { env } from "../env";
import { log } from "../log";
import { dropPartitionsBefore } from "../monitors/partitions";
import { NOTIFICATION_HISTORY_DAYS } from "../notifications/retention";
import { STATUS_NOTICE_DAYS } from "../status/retention";
import { deleteInBatches, deleteResultsOf, orphanSeqs } from "./results";
import { sealLegacySecrets } from "./seal-legacy";

const DAY = 86_400_000;
/** Failure messages kept per monitor at most (the monitor page shows the latest 100). */
const FAILURES_PER_MONITOR = 1000;
const ORG_CHUNK = 1000;
/** Server logs (stdout JSON): the Compose deployment rotates them away after this many days. */
const SERVER_LOG_DAYS = 90;

export type RetentionRule = { what: string; days: number; note?: string };

/** What is kept how long for an organization on these limits: the dashboard states it, the jobs enforce it. */
export function retentionRules(limits: Pick<PlanLimits, "retentionDays">): RetentionRule[] {
  const days = limits.retentionDays;
  return [
    { what: "Check results (raw)", days, note: "every check with its timings" },
    { what: "Hourly and daily rollups", days, note: "uptime and response-time history" },
    { what: "Incidents and monitor events", days, note: "open incidents are kept until they close" },
    { what: "Failure messages", days, note: "at most the latest 1,000 per monitor" },
    { what: "API access log", days, note: "method, route, status and caller IP of each API request" },
    { what: "Audit log", days: env().AUDIT_RETENTION_DAYS, note: "who did what, from which IP and browser" },
    { what: "Notification log", days: NOTIFICATION_HISTORY_DAYS, note: "alerts sent and their delivery attempts" },
    { what: "Status page notices", days: STATUS_NOTICE_DAYS, note: "which subscribers were told what; unconfirmed subscribers go a day after their link expires" },
    { what: "Server logs", days: SERVER_LOG_DAYS, note: "rotated by the deployment" },
  ];
}

export type RetentionCounts = {
  partitionsDropped: number;
  results: number;
  rollupsHourly: number;
  rollupsDaily: number;
  uptimeSummaries: number;
  orphanedMonitors: number;
  incidents: number;
  events: number;
  checkFailures: number;
  apiAccessLog: number;
  auditLog: number;
  /** Request bodies and Twilio SIDs saved in plain config before they were sealed. */
  legacyValuesSealed: number;
};

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * The daily retention pass. Each organization keeps results, rollups, incidents, monitor events,
 * failure messages and its API access log for its plan's retention (self-hosted: RETENTION_DAYS);
 * the audit log is kept AUDIT_RETENTION_DAYS. Raw results older than the longest retention any
 * organization has are removed by dropping whole day partitions (instant, no bloat); below
 * that, per organization, by batched deletes on (monitor_seq, scheduled_at). Results and rollups
 * of monitors that no longer exist go too. Every delete is batched and the pass is idempotent:
 * run twice, the second deletes nothing. Notification history, status subscriber data, sessions
 * and tokens have their own hourly purges (jobs/processors.ts → purgeExpired).
 */
export async function runRetention({
  now = new Date(),
  enabled = billingEnabled(),
  organizationIds,
}: {
  now?: Date;
  enabled?: boolean;
  /** Only these organizations' rows are deleted per plan (tests beside other tenants); partitions still go by everyone's longest. */
  organizationIds?: string[];
} = {}): Promise<RetentionCounts> {
  const started = Date.now();
  const counts: RetentionCounts = {
    partitionsDropped: 0,
    results: 0,
    rollupsHourly: 0,
    rollupsDaily: 0,
    uptimeSummaries: 0,
    orphanedMonitors: 0,
    incidents: 0,
    events: 0,
    checkFailures: 0,
    apiAccessLog: 0,
    auditLog: 0,
    legacyValuesSealed: 0,
  };

  // Organizations grouped by the retention their plan gives them (a handful of distinct values).
  const orgs = await db().select().from(organizations);
  const byDays = new Map<number, string[]>();
  let longest = 0;
  for (const o of orgs) {
    const days = effectivePlan(o, now, enabled).limits.retentionDays;
    longest = Math.max(longest, days);
    if (organizationIds && !organizationIds.includes(o.id)) continue;
    const group = byDays.get(days);
    if (group) group.push(o.id);
    else byDays.set(days, [o.id]);
  }

  if (longest) counts.partitionsDropped = (await dropPartitionsBefore(new Date(now.getTime() - longest * DAY))).length;

  for (const [days, orgIds] of byDays) {
    const before = new Date(now.getTime() - days * DAY);
    const at = before.toISOString();
    for (const ids of chunks(orgIds, ORG_CHUNK)) {
      const seqs = (await db().select({ seq: monitors.seq }).from(monitors).where(inArray(monitors.organizationId, ids))).map((m) => m.seq);
      // Within the longest retention the partitions are still there: what is left past this plan's goes row by row.
      const r = await deleteResultsOf(seqs, before);
      counts.results += r.results;
      counts.rollupsHourly += r.hourly;
      counts.rollupsDaily += r.daily;
      const orgList = sql.param(ids);
      // Open incidents stay whatever their age: they are still going on.
      counts.incidents += await deleteInBatches(
        (limit) => sql`delete from incidents where id = any(array(
          select id from incidents where organization_id = any(${orgList}::uuid[]) and closed_at < ${at}::timestamptz limit ${limit}))`,
      );
      // An event still waiting to be notified (or with deliveries in flight) stays until it is done.
      counts.events += await deleteInBatches(
        (limit) => sql`delete from monitor_events where id = any(array(
          select e.id from monitor_events e where e.organization_id = any(${orgList}::uuid[]) and e.created_at < ${at}::timestamptz and e.processed_at is not null
            and not exists (select 1 from notification_deliveries d where d.event_id = e.id and d.status in ('pending', 'sending'))
          limit ${limit}))`,
      );
      counts.checkFailures += await deleteInBatches(
        (limit) => sql`delete from check_failures where id = any(array(
          select f.id from check_failures f join monitors m on m.id = f.monitor_id
          where m.organization_id = any(${orgList}::uuid[]) and f.scheduled_at < ${at}::timestamptz limit ${limit}))`,
      );
      counts.apiAccessLog += await purgeApiAccessLog(ids, before);
    }
  }

  // A monitor failing every 30 s for months: only its latest messages are useful.
  counts.checkFailures += await deleteInBatches(
    (limit) => sql`delete from check_failures where id = any(array(
      select id from (select id, row_number() over (partition by monitor_id order by scheduled_at desc) as n from check_failures) ranked
      where n > ${FAILURES_PER_MONITOR} limit ${limit}))`,
  );

  // A summary no longer refreshed covers days with no rollup left (the hourly refresh rewrites every current one).
  counts.uptimeSummaries += (await db().execute(sql`delete from uptime_90d where through_day < (${now.toISOString()}::timestamptz)::date - 2`)).rowCount ?? 0;

  const orphans = await orphanSeqs();
  if (orphans.length) {
    const r = await deleteResultsOf(orphans);
    counts.orphanedMonitors = orphans.length;
    counts.results += r.results;
    counts.rollupsHourly += r.hourly;
    counts.rollupsDaily += r.daily;
    counts.uptimeSummaries += r.summaries;
  }

  const auditBefore = new Date(now.getTime() - env().AUDIT_RETENTION_DAYS * DAY).toISOString();
  counts.auditLog = await deleteInBatches((limit) => sql`delete from audit_log where id = any(array(select id from audit_log where created_at < ${auditBefore}::timestamptz limit ${limit}))`);

  counts.legacyValuesSealed = await sealLegacySecrets();

  log.info("retention pass done", { ...counts, ms: Date.now() - started });
  return counts;
}
