import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, type Tx } from "../db/client";
import { closeDraftIncidents, openDraftIncidents } from "../status/drafts";
import { incidents, monitorEvents, monitorRegionState, monitors, type MaintenanceWindow, type Monitor, type MonitorState } from "../db/schema";
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
    const rows = await tx.select().from(monitors).where(inArray(monitors.id, ids)).orderBy(monitors.id).for("update");
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
    const inserted = await tx.execute<{ monitor_seq: number; scheduled_at: Date | string; region_id: number }>(sql`
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
      returning monitor_seq, scheduled_at, region_id`);

    const key = (seq: number, at: number, region: number) => `${seq}|${at}|${region}`;
    const fresh = new Set(inserted.rows.map((r) => key(r.monitor_seq, new Date(r.scheduled_at).getTime(), r.region_id)));
    const news = accepted.filter((b) => fresh.has(key(byId.get(b.monitorId)!.seq, b.scheduledAt.getTime(), regionIds.get(b.region)!)));
    if (news.length === 0) return { inserted: 0, duplicates: batch.length, transitions: [] };

    const failures = news.filter((b) => b.result.outcome === "down");
    if (failures.length) {
      await tx.execute(sql`
        insert into check_failures (monitor_id, region, scheduled_at, error_class, message, status_code)
        select * from unnest(
          ${sql.param(failures.map((b) => b.monitorId))}::uuid[],
          ${sql.param(failures.map((b) => b.region))}::text[],
          ${sql.param(failures.map((b) => b.scheduledAt.toISOString()))}::timestamptz[],
          ${sql.param(failures.map((b) => b.result.errorClass ?? "internal"))}::text[],
          ${sql.param(failures.map((b) => (b.result.message ?? "").slice(0, 1000)))}::text[],
          ${sql.param(failures.map((b) => b.result.statusCode ?? null))}::smallint[]
        ) on conflict do nothing`);
    }

    const transitions = await advanceStates(tx, byId, news, now);
    await upsertRollups(tx, byId, news, regionIds);
    return { inserted: news.length, duplicates: batch.length - news.length, transitions };
  });
  // Status pages showing a monitor whose state changed are rebuilt now that it committed.
  if (out.transitions.length) await invalidateStatusPages({ monitorIds: [...new Set(out.transitions.map((t) => t.monitorId))] });
  return out;
}

async function advanceStates(tx: Tx, byId: Map<string, Monitor>, news: ResultInput[], now: Date): Promise<RecordedTransition[]> {
  const monitorIds = [...new Set(news.map((b) => b.monitorId))];
  const current = await tx.select().from(monitorRegionState).where(inArray(monitorRegionState.monitorId, monitorIds));
  const regionState = new Map<string, RegionCounters & { last?: ResultInput }>();
  for (const r of current) regionState.set(`${r.monitorId}|${r.region}`, r);

  const touched = new Map<string, ResultInput>();
  for (const b of news) {
    const m = byId.get(b.monitorId)!;
    const k = `${b.monitorId}|${b.region}`;
    const prev = regionState.get(k) ?? { state: "PENDING" as MonitorState, consecutiveFailures: 0, consecutiveSuccesses: 0 };
    // A missed heartbeat is already confirmed by its grace period.
    const cfg = b.kind === "heartbeat" ? { confirmations: 1, recoveries: 1 } : { confirmations: m.confirmations, recoveries: m.recoveries };
    regionState.set(k, { ...applyRegionResult(prev, b.result.outcome, cfg), last: b });
    touched.set(k, b);
  }

  const keys = [...touched.keys()];
  await tx.execute(sql`
    insert into monitor_region_state (monitor_id, region, state, consecutive_failures, consecutive_successes, last_checked_at, last_error_class, last_message, last_status_code)
    select * from unnest(
      ${sql.param(keys.map((k) => k.split("|")[0]))}::uuid[],
      ${sql.param(keys.map((k) => k.split("|")[1]))}::text[],
      ${sql.param(keys.map((k) => regionState.get(k)!.state))}::monitor_state[],
      ${sql.param(keys.map((k) => regionState.get(k)!.consecutiveFailures))}::int[],
      ${sql.param(keys.map((k) => regionState.get(k)!.consecutiveSuccesses))}::int[],
      ${sql.param(keys.map((k) => touched.get(k)!.scheduledAt.toISOString()))}::timestamptz[],
      ${sql.param(keys.map((k) => touched.get(k)!.result.errorClass ?? null))}::text[],
      ${sql.param(keys.map((k) => touched.get(k)!.result.message?.slice(0, 1000) ?? null))}::text[],
      ${sql.param(keys.map((k) => touched.get(k)!.result.statusCode ?? null))}::smallint[]
    )
    on conflict (monitor_id, region) do update set
      state = excluded.state, consecutive_failures = excluded.consecutive_failures,
      consecutive_successes = excluded.consecutive_successes, last_checked_at = excluded.last_checked_at,
      last_error_class = excluded.last_error_class, last_message = excluded.last_message, last_status_code = excluded.last_status_code`);

  const out: RecordedTransition[] = [];
  const windowCache = new Map<string, Promise<MaintenanceWindow[]>>();
  for (const id of monitorIds) {
    const m = byId.get(id)!;
    const states = m.regions.map((r) => regionState.get(`${id}|${r}`)?.state ?? "PENDING");
    const next = monitorStateFrom(m.state, states, quorumOf(m.regions.length, m.quorum));
    const lastResult = news.filter((b) => b.monitorId === id).at(-1)!;
    const cert = news.filter((b) => b.monitorId === id && b.result.certificate).at(-1)?.result.certificate;
    await tx
      .update(monitors)
      .set({
        lastCheckedAt: lastResult.scheduledAt,
        ...(cert ? { certExpiresAt: new Date(cert.validTo) } : {}),
        ...(next !== m.state ? { state: next, stateChangedAt: now } : {}),
      })
      .where(eq(monitors.id, id));
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

async function upsertRollups(tx: Tx, byId: Map<string, Monitor>, news: ResultInput[], _regionIds: Map<string, number>) {
  for (const [table, unit] of [
    ["check_rollups_hourly", "hour"],
    ["check_rollups_daily", "day"],
  ] as const) {
    const agg = new Map<string, { seq: number; bucket: number; checks: number; successes: number; degraded: number; sum: number; hist: number[] }>();
    for (const b of news) {
      const seq = byId.get(b.monitorId)!.seq;
      const d = new Date(b.scheduledAt);
      if (unit === "hour") d.setUTCMinutes(0, 0, 0);
      else d.setUTCHours(0, 0, 0, 0);
      const k = `${seq}|${d.getTime()}`;
      const a = agg.get(k) ?? { seq, bucket: d.getTime(), checks: 0, successes: 0, degraded: 0, sum: 0, hist: [] };
      a.checks++;
      if (b.result.outcome !== "down") {
        a.successes++;
        a.sum += ms(b.result.timings.totalMs);
        addSample(a.hist, b.result.timings.totalMs);
      }
      if (b.result.outcome === "degraded") a.degraded++;
      agg.set(k, a);
    }
    const rows = [...agg.values()];
    await tx.execute(sql`
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
        latency_hist = perigee_hist_add(${sql.raw(table)}.latency_hist, excluded.latency_hist)`);
  }
}
