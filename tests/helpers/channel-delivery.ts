// Drives alerts to one channel through the real delivery path (a monitor's results → its event
// → the outbox → deliver(), what the notification job runs), for the per-provider tests.
import { and, asc, desc, eq } from "drizzle-orm";
import { db } from "../../src/server/db/client";
import { monitorChannels, monitorEvents, notificationChannels, notificationDeliveries, notificationLog } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { deliver, sendTo } from "../../src/server/notifications/deliver";
import { testMessage } from "../../src/server/notifications/message";
import { drainOutbox } from "../../src/server/notifications/outbox";
import { down, insertMonitor, res, up } from "./monitor-factory";
import { until } from "./until";

export const rowOf = async (id: string) => (await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id)))[0]!;
export const logOf = (id: string) => db().select().from(notificationLog).where(eq(notificationLog.deliveryId, id)).orderBy(asc(notificationLog.id));

/** A monitor (one confirmation) whose own channels are `channelIds`. */
export async function monitorOn(orgId: string, channelIds: string[], name = "Checkout API") {
  const m = await insertMonitor(orgId, { name, confirmations: 1, customChannels: true });
  await db()
    .insert(monitorChannels)
    .values(channelIds.map((channelId) => ({ monitorId: m.id, channelId })));
  return m;
}

/**
 * The deliveries of the monitor's latest `kind` event, once the outbox has processed it
 * (another file's worker may be draining the same outbox: wait for whoever has it).
 */
export async function eventDeliveries(monitorId: string, kind: string) {
  const [e] = await db()
    .select()
    .from(monitorEvents)
    .where(and(eq(monitorEvents.monitorId, monitorId), eq(monitorEvents.kind, kind)))
    .orderBy(desc(monitorEvents.id))
    .limit(1);
  if (!e) throw new Error(`no ${kind} event`);
  await until(async () => {
    await drainOutbox();
    const [now] = await db().select().from(monitorEvents).where(eq(monitorEvents.id, e.id));
    return now!.processedAt !== null;
  });
  return db().select().from(notificationDeliveries).where(eq(notificationDeliveries.eventId, e.id)).orderBy(asc(notificationDeliveries.createdAt));
}

/** Takes the monitor DOWN and returns that event's deliveries. */
export async function goDown(monitorId: string, cause = "Expected status 200-299, got 503") {
  await recordResults([res(monitorId, down(cause))]);
  return eventDeliveries(monitorId, "down");
}

/** Brings the monitor back UP and returns the recovery's deliveries. */
export async function recover(monitorId: string) {
  await recordResults([res(monitorId, up())]);
  return eventDeliveries(monitorId, "recovered");
}

/**
 * One attempt of a delivery, run as its queue job runs it. If another file's worker took the
 * attempt, wait for it to finish, so the assertions are about what was recorded whoever sent it.
 */
export async function attempt(deliveryId: string) {
  const result = await deliver(deliveryId);
  if (result.status === "not_claimed") await until(async () => (await rowOf(deliveryId)).status !== "sending");
  return { result, row: await rowOf(deliveryId), log: await logOf(deliveryId) };
}

/** The channel's test notification, sent as the dashboard's "Send test" does (no queue). */
export async function sendTestTo(channelId: string, deliveryId = `test-${crypto.randomUUID()}`) {
  const [row] = await db().select().from(notificationChannels).where(eq(notificationChannels.id, channelId));
  return sendTo(row!, testMessage(row!.name), deliveryId);
}
