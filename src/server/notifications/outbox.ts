import { and, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Tx } from "../db/client";
import { incidents, monitorChannels, monitorEvents, monitors, notificationChannels, notificationDeliveries, type MonitorEvent } from "../db/schema";
import { log } from "../log";
import { inMaintenance } from "../monitors/maintenance";
import { enqueueDeliveries } from "./queue";

/**
 * The outbox consumer. Monitor state transitions are written to `monitor_events` in the same
 * transaction as the transition; this turns each unprocessed event into one durable
 * `notification_deliveries` row per channel (unique per event and channel) and then one
 * BullMQ job per delivery (job id = delivery id). Rows are claimed with SKIP LOCKED, so any
 * number of workers can drain concurrently; a crash before commit leaves the event for the
 * next pass, a crash after commit leaves pending deliveries for the sweeper.
 */
const ALERTING = new Set(["down", "recovered", "degraded", "up", "heartbeat_missed", "ssl_expiring", "reminder"]);
const DOWN_KINDS = ["down", "heartbeat_missed"];
/** Events that follow up on an incident's DOWN alert. */
const FOLLOW_UPS = ["recovered", "reminder"];
const NEVER_ALERTED = "its DOWN was never alerted (it began in a maintenance window)";

export async function drainOutbox(opts: { limit?: number; now?: Date } = {}): Promise<{ events: number; deliveries: number }> {
  const limit = opts.limit ?? 500;
  const created: { id: string; createdAt: Date }[] = [];
  const events = await db().transaction(async (tx) => {
    const now = opts.now ?? new Date();
    const rows = await tx
      .select()
      .from(monitorEvents)
      .where(and(isNull(monitorEvents.processedAt), lte(monitorEvents.notifyAfter, now)))
      .orderBy(monitorEvents.id)
      .limit(limit)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return 0;

    const skip = new Map<number, string>();
    await dampFlaps(tx, rows, now, skip);
    // After dampFlaps, which may have linked a relapse to the incident that was alerted.
    const facts = await incidentFacts(tx, rows);
    skipNeverAlerted(rows, facts, skip);
    const closesAnAlert = recoveriesOfAlertedIncidents(rows, facts);
    await referToAlertedIncidents(tx, rows, facts);

    const monitorIds = [...new Set(rows.map((r) => r.monitorId))];
    const orgIds = [...new Set(rows.map((r) => r.organizationId))];
    const mons = await tx.select({ id: monitors.id, customChannels: monitors.customChannels }).from(monitors).where(inArray(monitors.id, monitorIds));
    const custom = new Map(mons.map((m) => [m.id, m.customChannels]));
    const links = await tx.select().from(monitorChannels).where(inArray(monitorChannels.monitorId, monitorIds));
    const defaults = await tx
      .select({ id: notificationChannels.id, organizationId: notificationChannels.organizationId })
      .from(notificationChannels)
      .where(and(inArray(notificationChannels.organizationId, orgIds), eq(notificationChannels.isDefault, true)));

    const values: { organizationId: string; eventId: number; channelId: string }[] = [];
    for (const e of rows) {
      if ((e.suppressed && !closesAnAlert.has(e.id)) || skip.has(e.id) || !ALERTING.has(e.kind) || !custom.has(e.monitorId)) continue;
      const channelIds = custom.get(e.monitorId)
        ? links.filter((l) => l.monitorId === e.monitorId).map((l) => l.channelId)
        : defaults.filter((d) => d.organizationId === e.organizationId).map((d) => d.id);
      for (const channelId of channelIds) values.push({ organizationId: e.organizationId, eventId: e.id, channelId });
    }
    if (values.length) {
      const ins = await tx.insert(notificationDeliveries).values(values).onConflictDoNothing().returning({ id: notificationDeliveries.id, createdAt: notificationDeliveries.createdAt });
      created.push(...ins);
    }
    for (const [id, why] of skip) {
      await tx
        .update(monitorEvents)
        .set({ payload: sql`${monitorEvents.payload} || ${JSON.stringify({ notSentBecause: why })}::jsonb` })
        .where(eq(monitorEvents.id, id));
    }
    await tx
      .update(monitorEvents)
      .set({ processedAt: now })
      .where(
        inArray(
          monitorEvents.id,
          rows.map((r) => r.id),
        ),
      );
    return rows.length;
  });
  if (created.length) {
    try {
      await enqueueDeliveries(created.map((c) => ({ id: c.id })));
    } catch (err) {
      // Redis may be away: the deliveries are durable and the sweeper will enqueue them.
      log.warn("could not enqueue notifications; the sweeper will retry", { count: created.length, err: (err as Error).message });
    }
  }
  return { events, deliveries: created.length };
}

/**
 * Flap damping with a recovery delay: a recovery waits (notify_after) and a relapse within
 * the wait sends neither the recovery nor the new DOWN — the people alerted about the first
 * DOWN are told once, when the monitor is back for good. The relapse's incident is linked to
 * the one they were alerted about (and takes over its reminder count and cadence), so its
 * eventual recovery resolves the alert they saw. Only a recovery whose DOWN was alerted is
 * waited on: folding a relapse into an outage nobody heard of (one that began in a maintenance
 * window) would leave the relapse unheard too.
 */
async function dampFlaps(tx: Tx, rows: MonitorEvent[], now: Date, skip: Map<number, string>) {
  const downs = rows.filter((r) => DOWN_KINDS.includes(r.kind) && !r.suppressed);
  if (!downs.length) return;
  const waiting = await tx
    .select({ id: monitorEvents.id, monitorId: monitorEvents.monitorId, incidentId: monitorEvents.incidentId })
    .from(monitorEvents)
    .leftJoin(incidents, and(eq(incidents.id, monitorEvents.incidentId), eq(incidents.organizationId, monitorEvents.organizationId)))
    .where(
      and(
        inArray(
          monitorEvents.monitorId,
          downs.map((d) => d.monitorId),
        ),
        eq(monitorEvents.kind, "recovered"),
        isNull(monitorEvents.processedAt),
        gt(monitorEvents.notifyAfter, now),
        or(isNull(incidents.id), eq(incidents.duringMaintenance, false)),
      ),
    )
    .for("update", { of: monitorEvents, skipLocked: true });
  const earlier = alias(incidents, "earlier");
  for (const d of downs) {
    const rec = waiting.find((w) => w.monitorId === d.monitorId && w.id < d.id);
    if (!rec) continue;
    skip.set(d.id, "relapsed within the recovery delay");
    await tx
      .update(monitorEvents)
      .set({ processedAt: now, payload: sql`${monitorEvents.payload} || ${JSON.stringify({ notSentBecause: "relapsed within the recovery delay" })}::jsonb` })
      .where(eq(monitorEvents.id, rec.id));
    if (d.incidentId && rec.incidentId) {
      await tx
        .update(incidents)
        .set({
          alertedIncidentId: sql`coalesce(${earlier.alertedIncidentId}, ${earlier.id})`,
          remindersSent: sql`${earlier.remindersSent}`,
          lastRemindedAt: sql`coalesce(${earlier.lastRemindedAt}, ${earlier.openedAt})`,
        })
        .from(earlier)
        .where(and(eq(incidents.id, d.incidentId), eq(earlier.id, rec.incidentId)));
    }
  }
}

type IncidentFacts = { duringMaintenance: boolean; openedAt: Date; alertedId: string | null; alertedOpenedAt: Date | null };
const factKey = (organizationId: string, incidentId: string) => `${organizationId}|${incidentId}`;

/** What the drain needs to know of the batch's incidents, in one scoped read. */
async function incidentFacts(tx: Tx, rows: MonitorEvent[]): Promise<Map<string, IncidentFacts>> {
  const ids = [...new Set(rows.flatMap((r) => (r.incidentId ? [r.incidentId] : [])))];
  if (!ids.length) return new Map();
  const alerted = alias(incidents, "alerted");
  const found = await tx
    .select({
      id: incidents.id,
      organizationId: incidents.organizationId,
      duringMaintenance: incidents.duringMaintenance,
      openedAt: incidents.openedAt,
      alertedId: alerted.id,
      alertedOpenedAt: alerted.openedAt,
    })
    .from(incidents)
    .leftJoin(alerted, and(eq(alerted.id, incidents.alertedIncidentId), eq(alerted.organizationId, incidents.organizationId)))
    .where(inArray(incidents.id, ids));
  return new Map(found.map((f) => [factKey(f.organizationId, f.id), f]));
}

const factsOf = (r: MonitorEvent, facts: Map<string, IncidentFacts>) => (r.incidentId ? facts.get(factKey(r.organizationId, r.incidentId)) : undefined);

/**
 * A recovery (or reminder) of an incident whose DOWN was never alerted — it began in a
 * maintenance window and closed before maintenance-ended.ts alerted it — would tell people
 * "X is UP again", or resolve a PagerDuty incident, about an outage they never heard of. It is
 * recorded as not sent.
 */
function skipNeverAlerted(rows: MonitorEvent[], facts: Map<string, IncidentFacts>, skip: Map<number, string>) {
  for (const r of rows) {
    if (FOLLOW_UPS.includes(r.kind) && !r.suppressed && !skip.has(r.id) && factsOf(r, facts)?.duringMaintenance) skip.set(r.id, NEVER_ALERTED);
  }
}

/**
 * A maintenance window silences new alerts, not the end of one already sent: a recovery
 * inside a window of an incident whose DOWN was alerted is still sent, so nobody is left
 * with an open PagerDuty incident or a last word of "DOWN".
 */
function recoveriesOfAlertedIncidents(rows: MonitorEvent[], facts: Map<string, IncidentFacts>): Set<number> {
  return new Set(rows.filter((r) => r.kind === "recovered" && r.suppressed && factsOf(r, facts)?.duringMaintenance === false).map((r) => r.id));
}

/**
 * Events about an incident whose DOWN was folded into an earlier alert (see dampFlaps) name
 * that alert's incident (`alertedIncidentId`, used for dedup keys and `incidentId`) and count
 * downtime from its start, as the receivers saw it.
 */
async function referToAlertedIncidents(tx: Tx, rows: MonitorEvent[], facts: Map<string, IncidentFacts>) {
  for (const r of rows) {
    const l = factsOf(r, facts);
    if (!l?.alertedId || !l.alertedOpenedAt) continue;
    const extra: Record<string, unknown> = { alertedIncidentId: l.alertedId };
    const own = r.payload.downtimeSeconds;
    if (typeof own === "number") extra.downtimeSeconds = Math.round(own + (l.openedAt.getTime() - l.alertedOpenedAt.getTime()) / 1000);
    await tx
      .update(monitorEvents)
      .set({ payload: sql`${monitorEvents.payload} || ${JSON.stringify(extra)}::jsonb` })
      .where(eq(monitorEvents.id, r.id));
  }
}

/**
 * Reminders while a monitor stays DOWN: every `reminder_interval_minutes`, at most
 * `reminder_max` times per incident. Each reminder is an outbox event like any other. An
 * incident whose DOWN has not been alerted yet (it began in a maintenance window) gets none:
 * its DOWN is alerted when the window ends (maintenance-ended.ts), and reminders count from then.
 */
export async function queueReminders(now = new Date()): Promise<number> {
  return db().transaction(async (tx) => {
    const due = await tx
      .select({ incident: incidents, monitor: monitors })
      .from(incidents)
      .innerJoin(monitors, eq(monitors.id, incidents.monitorId))
      .where(
        and(
          isNull(incidents.closedAt),
          eq(incidents.duringMaintenance, false),
          eq(monitors.paused, false),
          sql`${monitors.reminderIntervalMinutes} is not null`,
          sql`${incidents.remindersSent} < ${monitors.reminderMax}`,
          sql`coalesce(${incidents.lastRemindedAt}, ${incidents.openedAt}) + make_interval(mins => ${monitors.reminderIntervalMinutes}) <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .limit(500)
      .for("update", { of: incidents, skipLocked: true });
    for (const { incident: i, monitor: m } of due) {
      const n = i.remindersSent + 1;
      await tx.insert(monitorEvents).values({
        organizationId: m.organizationId,
        monitorId: m.id,
        incidentId: i.id,
        kind: "reminder",
        fromState: "DOWN",
        toState: "DOWN",
        payload: {
          monitorName: m.name,
          type: m.type,
          cause: i.causeMessage,
          errorClass: i.causeErrorClass,
          statusCode: i.causeStatusCode,
          downtimeSeconds: Math.round((now.getTime() - i.openedAt.getTime()) / 1000),
          reminderNumber: n,
          reminderMax: m.reminderMax,
        },
        suppressed: await inMaintenance(tx, m, now),
        notifyAfter: now,
      });
      await tx.update(incidents).set({ remindersSent: n, lastRemindedAt: now }).where(eq(incidents.id, i.id));
    }
    return due.length;
  });
}
