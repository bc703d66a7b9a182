import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "../db/client";
import { closeDraftIncidents, openDraftIncidents } from "../status/drafts";
import { incidents, monitorEvents, monitors, type MaintenanceWindow, type Monitor, type MonitorState } from "../db/schema";
import type { CheckResult } from "../checks/types";
import { addSample } from "./histogram";
import { daysUntil, sslAlertStep } from "./ssl-alerts";
import { invalidateStatusPages } from "../status/invalidate";
import { inMaintenance } from "./maintenance";
import { resultCode } from "./result-codes";
import { regionId } from "./regions";
import { encodeLateness } from "./lateness";
import { applyRegionResult, monitorStateFrom, quorumOf, transitionOf, type RegionCounters } from "./state-machine";

export type ResultInput = {
  monitorId: string;
  region: string;
  /** The slot this check belongs to; (monitor, slot, region) is unique, so a retried job stores nothing twice. */
  scheduledAt: Date;
  startedAt: Date;
  result: CheckResult;
  /** Heartbeat sweeps report a missed ping rather than a failed check. */
  kind?: "check" | "heartbeat";
};

export type RecordedTransition = { monitorId: string; from: MonitorState; to: MonitorState; kind: string; incidentId: string | null; suppressed: boolean };

/** The monitor columns a batch needs (not the config and secrets, which are large and parsed per row). */
const LOCKED_COLUMNS = {
  id: monitors.id,
  seq: monitors.seq,
  organizationId: monitors.organizationId,
  name: monitors.name,
  type: monitors.type,
  paused: monitors.paused,
  regions: monitors.regions,
  quorum: monitors.quorum,
  state: monitors.state,
  confirmations: monitors.confirmations,
  recoveries: monitors.recoveries,
  recoveryDelaySeconds: monitors.recoveryDelaySeconds,
  sslAlertedDays: monitors.sslAlertedDays,
};
type LockedMonitor = Pick<Monitor, keyof typeof LOCKED_COLUMNS>;

const clamp16 = (n: number | undefined) => (n === undefined ? -1 : Math.max(-1, Math.min(32767, Math.round(n))));
const ms = (n: number | undefined) => (n === undefined ? -1 : Math.max(0, Math.round(n)));

/**
 * Persists a batch of check results and advances every affected monitor's state, in one
 * transaction: raw rows (duplicates ignored), failure messages, region counters, monitor
 * state, incidents, outbox events and hourly/daily rollups commit together or not at all.
 */
export async function recordResults(batch: ResultInput[], now = new Date()): Promise<{ inserted: number; duplicates: number; transitions: RecordedTransition[] }> {
  if (batch.length === 0) return { inserted: 0, duplicates: 0, transitions: [] };
  const regionIds = new Map<string, number>();
  for (const r of new Set(batch.map((b) => b.region))) regionIds.set(r, await regionId(r));

  const out = await db().transaction(async (tx) => {
    const ids = [...new Set(batch.map((b) => b.monitorId))].sort();
    // Lock the monitors in a fixed order: concurrent batches serialise per monitor, never deadlock.
    const rows = await tx.select(LOCKED_COLUMNS).from(monitors).where(inArray(monitors.id, ids)).orderBy(monitors.id).for("update");
    const byId = new Map(rows.map((m) => [m.id, m]));

    // Results for deleted or paused monitors, or from a region the monitor doesn't use, are dropped.
    const accepted = batch
      .filter((b) => {
        const m = byId.get(b.monitorId);
        return m && !m.paused && m.regions.includes(b.region);
      })
      .sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
    if (accepted.length === 0) return { inserted: 0, duplicates: batch.length, transitions: [] };

    const col = <T>(f: (b: ResultInput) => T) => accepted.map(f);
    // One round trip: the results in (duplicates ignored), and the region counters they advance.
    // A separate statement from the row locks above, so it reads what their last holder committed.
    const [written] = (
      await tx.execute<{ fresh: [number, string, number][]; states: [string, string, MonitorState, number, number][] }>(sql`
      with ins as (
        insert into check_results (scheduled_at, monitor_seq, total_ms, ttfb_ms, dns_ms, connect_ms, tls_ms, status_code, region_id, result, lateness)
        select * from unnest(
          ${sql.param(col((b) => b.scheduledAt.toISOString()))}::timestamptz[],
          ${sql.param(col((b) => byId.get(b.monitorId)!.seq))}::int[],
          ${sql.param(col((b) => ms(b.result.timings.totalMs)))}::int[],
          ${sql.param(col((b) => clamp16(b.result.timings.ttfbMs)))}::smallint[],
          ${sql.param(col((b) => clamp16(b.result.timings.dnsMs)))}::smallint[],
          ${sql.param(col((b) => clamp16(b.result.timings.connectMs)))}::smallint[],
          ${sql.param(col((b) => clamp16(b.result.timings.tlsMs)))}::smallint[],
          ${sql.param(col((b) => b.result.statusCode ?? 0))}::smallint[],
          ${sql.param(col((b) => regionIds.get(b.region)!))}::smallint[],
          ${sql.param(col((b) => resultCode(b.result)))}::smallint[],
          ${sql.param(col((b) => encodeLateness(b.startedAt.getTime() - b.scheduledAt.getTime())))}::smallint[]
        )
        on conflict do nothing
        returning monitor_seq, scheduled_at, region_id
      )
      select
        (select coalesce(json_agg(json_build_array(monitor_seq, (extract(epoch from scheduled_at) * 1000)::int8, region_id)), '[]') from ins) as fresh,
        (select coalesce(json_agg(json_build_array(monitor_id, region, state, consecutive_failures, consecutive_successes)), '[]')
           from monitor_region_state where monitor_id = any(${sql.param(ids)}::uuid[])) as states`)
    ).rows;

    const key = (seq: number, at: number, region: number) => `${seq}|${at}|${region}`;
    const fresh = new Set(written!.fresh.map(([seq, at, region]) => key(seq, Number(at), region)));
    const news = accepted.filter((b) => fresh.has(key(byId.get(b.monitorId)!.seq, b.scheduledAt.getTime(), regionIds.get(b.region)!)));
    if (news.length === 0) return { inserted: 0, duplicates: batch.length, transitions: [] };
    const states = new Map<string, RegionCounters>();
    for (const [monitorId, region, state, consecutiveFailures, consecutiveSuccesses] of written!.states) states.set(`${monitorId}|${region}`, { state, consecutiveFailures, consecutiveSuccesses });

    const transitions = await advanceStates(tx, byId, news, states, now);
    return { inserted: news.length, duplicates: batch.length - news.length, transitions };
  });
  // Status pages showing a monitor whose state changed are rebuilt now that it committed.
  if (out.transitions.length) await invalidateStatusPages({ monitorIds: [...new Set(out.transitions.map((t) => t.monitorId))] });
  return out;
}

async function advanceStates(tx: Tx, byId: Map<string, LockedMonitor>, news: ResultInput[], regionState: Map<string, RegionCounters>, now: Date): Promise<RecordedTransition[]> {
  const monitorIds = [...new Set(news.map((b) => b.monitorId))];

  const touched = new Map<string, ResultInput>();
  for (const b of news) {
    const m = byId.get(b.monitorId)!;
    const k = `${b.monitorId}|${b.region}`;
    const prev = regionState.get(k) ?? { state: "PENDING" as MonitorState, consecutiveFailures: 0, consecutiveSuccesses: 0 };
    // A missed heartbeat is already confirmed by its grace period.
    const cfg = b.kind === "heartbeat" ? { confirmations: 1, recoveries: 1 } : { confirmations: m.confirmations, recoveries: m.recoveries };
    regionState.set(k, applyRegionResult(prev, b.result.outcome, cfg));
    touched.set(k, b);
  }

  // Next state of every monitor in the batch, computed here so one statement can write them all.
  const nexts = monitorIds.map((id) => {
    const m = byId.get(id)!;
    const states = m.regions.map((r) => regionState.get(`${id}|${r}`)?.state ?? "PENDING");
    return monitorStateFrom(m.state, states, quorumOf(m.regions.length, m.quorum));
  });
  const lastOf = new Map<string, ResultInput>();
  const certOf = new Map<string, NonNullable<CheckResult["certificate"]>>();
  for (const b of news) {
    lastOf.set(b.monitorId, b);
    if (b.result.certificate) certOf.set(b.monitorId, b.result.certificate);
  }
  const failures = news.filter((b) => b.result.outcome === "down");
  await writeBatch(tx, { touched, regionState, monitorIds, nexts, lastOf, certOf, failures, now }, rollupRows(byId, news));

  const out: RecordedTransition[] = [];
  const windowCache = new Map<string, Promise<MaintenanceWindow[]>>();
  for (const [i, id] of monitorIds.entries()) {
    const m = byId.get(id)!;
    const next = nexts[i]!;
    const lastResult = lastOf.get(id)!;
    const cert = certOf.get(id);
    if (cert) {
      const daysLeft = daysUntil(cert.validTo, now);
      const step = sslAlertStep(daysLeft, m.sslAlertedDays);
      if (step.level !== m.sslAlertedDays) await tx.update(monitors).set({ sslAlertedDays: step.level }).where(eq(monitors.id, id));
      if (step.alert !== null) {
        await tx.insert(monitorEvents).values({
          organizationId: m.organizationId,
          monitorId: id,
          kind: "ssl_expiring",
          payload: { monitorName: m.name, type: m.type, daysLeft, threshold: step.alert, validTo: cert.validTo, subject: cert.subject, issuer: cert.issuer },
          suppressed: await inMaintenance(tx, m, now, windowCache),
        });
      }
    }
    const t = transitionOf(m.state, next);
    if (!t) continue;

    const suppressed = await inMaintenance(tx, m, now, windowCache);
    let incidentId: string | null = null;
    let payload: Record<string, unknown> = { monitorName: m.name, type: m.type };
    if (t.kind === "down") {
      const failing = m.regions.filter((r) => regionState.get(`${id}|${r}`)?.state === "DOWN");
      const cause = [...news].reverse().find((b) => b.monitorId === id && b.result.outcome === "down")?.result;
      const [inc] = await tx
        .insert(incidents)
        .values({
          organizationId: m.organizationId,
          monitorId: id,
          openedAt: now,
          causeErrorClass: cause?.errorClass ?? null,
          causeMessage: cause?.message ?? null,
          causeStatusCode: cause?.statusCode ?? null,
          regionsDown: failing,
          duringMaintenance: suppressed,
        })
        .onConflictDoNothing()
        .returning({ id: incidents.id });
      incidentId = inc?.id ?? null;
      // Pages showing the monitor get a draft incident (not during an announced maintenance).
      if (incidentId && !suppressed) await openDraftIncidents(tx, { organizationId: m.organizationId, monitorId: id, monitorIncidentId: incidentId, now });
      payload = { ...payload, cause: cause?.message, errorClass: cause?.errorClass, statusCode: cause?.statusCode, regionsDown: failing };
    } else if (t.kind === "recovered") {
      const [closed] = await tx
        .update(incidents)
        .set({ closedAt: now, durationSeconds: sql`greatest(0, round(extract(epoch from (${now.toISOString()}::timestamptz - ${incidents.openedAt}))))::int` })
        .where(and(eq(incidents.monitorId, id), isNull(incidents.closedAt)))
        .returning({ id: incidents.id, durationSeconds: incidents.durationSeconds });
      incidentId = closed?.id ?? null;
      if (incidentId) await closeDraftIncidents(tx, { monitorIncidentId: incidentId, now });
      payload = { ...payload, downtimeSeconds: closed?.durationSeconds ?? null };
    }
    const kind = t.kind === "down" && lastResult.kind === "heartbeat" ? "heartbeat_missed" : t.kind;
    // A recovery alert waits out the monitor's recovery delay (flap damping; see notifications/outbox.ts).
    const notifyAfter = t.kind === "recovered" && m.recoveryDelaySeconds > 0 ? new Date(now.getTime() + m.recoveryDelaySeconds * 1000) : now;
    await tx.insert(monitorEvents).values({ organizationId: m.organizationId, monitorId: id, incidentId, kind, fromState: t.from, toState: t.to, payload, suppressed, notifyAfter });
    out.push({ monitorId: id, from: t.from, to: t.to, kind, incidentId, suppressed });
  }
  return out;
}

type Rollup = { seq: number; bucket: number; checks: number; successes: number; degraded: number; sum: number; hist: number[] };

/** The batch aggregated per monitor and hour, and per monitor and day. */
function rollupRows(byId: Map<string, LockedMonitor>, news: ResultInput[]): { hourly: Rollup[]; daily: Rollup[] } {
  const out = { hourly: new Map<string, Rollup>(), daily: new Map<string, Rollup>() };
  for (const b of news) {
    const seq = byId.get(b.monitorId)!.seq;
    const t = b.scheduledAt.getTime();
    for (const [agg, bucket] of [
      [out.hourly, t - (t % 3_600_000)],
      [out.daily, t - (t % 86_400_000)],
    ] as const) {
      const k = `${seq}|${bucket}`;
      let a = agg.get(k);
      if (!a) agg.set(k, (a = { seq, bucket, checks: 0, successes: 0, degraded: 0, sum: 0, hist: [] }));
      a.checks++;
      if (b.result.outcome !== "down") {
        a.successes++;
        a.sum += ms(b.result.timings.totalMs);
        addSample(a.hist, b.result.timings.totalMs);
      }
      if (b.result.outcome === "degraded") a.degraded++;
    }
  }
  return { hourly: [...out.hourly.values()], daily: [...out.daily.values()] };
}

const rollupUpsert = (table: "check_rollups_hourly" | "check_rollups_daily", rows: Rollup[]) => sql`
  insert into ${sql.raw(table)} (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist)
  select s, to_timestamp(b / 1000.0), c, ok, dg, sm, coalesce(translate(h, '[]', '{}')::int[], '{}')
  from unnest(
    ${sql.param(rows.map((r) => r.seq))}::int[], ${sql.param(rows.map((r) => r.bucket))}::bigint[],
    ${sql.param(rows.map((r) => r.checks))}::int[], ${sql.param(rows.map((r) => r.successes))}::int[],
    ${sql.param(rows.map((r) => r.degraded))}::int[], ${sql.param(rows.map((r) => r.sum))}::bigint[],
    ${sql.param(rows.map((r) => JSON.stringify(r.hist)))}::text[]
  ) as t(s, b, c, ok, dg, sm, h)
  on conflict (monitor_seq, bucket) do update set
    checks = ${sql.raw(table)}.checks + excluded.checks,
    successes = ${sql.raw(table)}.successes + excluded.successes,
    degraded = ${sql.raw(table)}.degraded + excluded.degraded,
    latency_sum_ms = ${sql.raw(table)}.latency_sum_ms + excluded.latency_sum_ms,
    latency_hist = perigee_hist_add(${sql.raw(table)}.latency_hist, excluded.latency_hist)`;

/**
 * The current day's running counts in each monitor's 90-day summary row (uptime-summary.ts), so
 * "90-day uptime of every monitor" reads one row per monitor. A batch spanning midnight keeps
 * the later day (the hourly refresh counts complete days from the daily rollups). A row made
 * here is not current for complete days (through_day two days back) until that refresh.
 */
function uptimeToday(daily: Rollup[]) {
  const latest = new Map<number, Rollup>();
  for (const r of daily) if ((latest.get(r.seq)?.bucket ?? -Infinity) < r.bucket) latest.set(r.seq, r);
  const rows = [...latest.values()];
  return sql`
    insert into uptime_90d (monitor_seq, through_day, checks, successes, today, today_checks, today_successes)
    select s, d - 2, 0, 0, d, c, ok
    from unnest(
      ${sql.param(rows.map((r) => r.seq))}::int[], ${sql.param(rows.map((r) => new Date(r.bucket).toISOString().slice(0, 10)))}::date[],
      ${sql.param(rows.map((r) => r.checks))}::int[], ${sql.param(rows.map((r) => r.successes))}::int[]
    ) as t(s, d, c, ok)
    on conflict (monitor_seq) do update set
      today_checks = case when uptime_90d.today = excluded.today then uptime_90d.today_checks + excluded.today_checks else excluded.today_checks end,
      today_successes = case when uptime_90d.today = excluded.today then uptime_90d.today_successes + excluded.today_successes else excluded.today_successes end,
      today = excluded.today
    where uptime_90d.today is null or uptime_90d.today <= excluded.today`;
}

/**
 * Region counters, every monitor's last check/state, failure messages, both rollups and today's
 * uptime counts in ONE statement (one round
 * trip per batch instead of one per monitor): data-modifying CTEs on different tables, each row
 * written once.
 */
async function writeBatch(
  tx: Tx,
  s: {
    touched: Map<string, ResultInput>;
    regionState: Map<string, RegionCounters>;
    monitorIds: string[];
    nexts: MonitorState[];
    lastOf: Map<string, ResultInput>;
    certOf: Map<string, NonNullable<CheckResult["certificate"]>>;
    failures: ResultInput[];
    now: Date;
  },
  rollups: { hourly: Rollup[]; daily: Rollup[] },
) {
  const keys = [...s.touched.keys()];
  const rs = keys.map((k) => s.regionState.get(k)!);
  const last = keys.map((k) => s.touched.get(k)!);
  await tx.execute(sql`
    with region_state as (
      insert into monitor_region_state (monitor_id, region, state, consecutive_failures, consecutive_successes, last_checked_at, last_error_class, last_message, last_status_code)
      select * from unnest(
        ${sql.param(last.map((b) => b.monitorId))}::uuid[],
        ${sql.param(last.map((b) => b.region))}::text[],
        ${sql.param(rs.map((r) => r.state))}::monitor_state[],
        ${sql.param(rs.map((r) => r.consecutiveFailures))}::int[],
        ${sql.param(rs.map((r) => r.consecutiveSuccesses))}::int[],
        ${sql.param(last.map((b) => b.scheduledAt.toISOString()))}::timestamptz[],
        ${sql.param(last.map((b) => b.result.errorClass ?? null))}::text[],
        ${sql.param(last.map((b) => b.result.message?.slice(0, 1000) ?? null))}::text[],
        ${sql.param(last.map((b) => b.result.statusCode ?? null))}::smallint[]
      )
      on conflict (monitor_id, region) do update set
        state = excluded.state, consecutive_failures = excluded.consecutive_failures,
        consecutive_successes = excluded.consecutive_successes, last_checked_at = excluded.last_checked_at,
        last_error_class = excluded.last_error_class, last_message = excluded.last_message, last_status_code = excluded.last_status_code
    ), monitor_rows as (
      update monitors m set
        last_checked_at = v.at,
        cert_expires_at = coalesce(v.cert, m.cert_expires_at),
        state = v.state,
        state_changed_at = case when v.state <> m.state then ${s.now.toISOString()}::timestamptz else m.state_changed_at end
      from unnest(
        ${sql.param(s.monitorIds)}::uuid[],
        ${sql.param(s.monitorIds.map((id) => s.lastOf.get(id)!.scheduledAt.toISOString()))}::timestamptz[],
        ${sql.param(s.monitorIds.map((id) => s.certOf.get(id)?.validTo ?? null))}::timestamptz[],
        ${sql.param(s.nexts)}::monitor_state[]
      ) as v(id, at, cert, state)
      where m.id = v.id
    ), failures as (
      insert into check_failures (monitor_id, region, scheduled_at, error_class, message, status_code)
      select * from unnest(
        ${sql.param(s.failures.map((b) => b.monitorId))}::uuid[],
        ${sql.param(s.failures.map((b) => b.region))}::text[],
        ${sql.param(s.failures.map((b) => b.scheduledAt.toISOString()))}::timestamptz[],
        ${sql.param(s.failures.map((b) => b.result.errorClass ?? "internal"))}::text[],
        ${sql.param(s.failures.map((b) => (b.result.message ?? "").slice(0, 1000)))}::text[],
        ${sql.param(s.failures.map((b) => b.result.statusCode ?? null))}::smallint[]
      ) on conflict do nothing
    ), uptime as (${uptimeToday(rollups.daily)}
    ), hourly as (${rollupUpsert("check_rollups_hourly", rollups.hourly)})
    ${rollupUpsert("check_rollups_daily", rollups.daily)}`);
}
