import { performance } from "node:perf_hooks";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { db } from "../db/client";
import { monitorEvents, monitors, notificationChannels, notificationDeliveries, notificationLog, type NotificationChannel } from "../db/schema";
import { env } from "../env";
import { log } from "../log";
import { openChannelSecrets } from "./channel-config";
import { DeliveryError } from "./http";
import { buildMessage, type AlertMessage } from "./message";
import { SENDERS } from "./senders";

export type DeliveryResult =
  | { status: "delivered" | "skipped"; httpStatus: number | null; response: string | null }
  | { status: "not_claimed" }
  | { status: "retry"; error: DeliveryError }
  | { status: "failed"; error: DeliveryError };

/**
 * Sends one delivery. The row is claimed first (pending → sending, with a lease), so two runs
 * of the same job — a retried job, a sweeper duplicate, two workers — send at most once; a
 * delivered row is never sent again. A sender that crashes mid-send leaves the lease to
 * expire, after which the delivery is retried.
 */
export async function deliver(deliveryId: string, opts: { maxAttempts?: number } = {}): Promise<DeliveryResult> {
  const maxAttempts = opts.maxAttempts ?? env().NOTIFY_ATTEMPTS;
  const leaseMs = env().NOTIFY_TIMEOUT_MS + 30_000;
  const [d] = await db()
    .update(notificationDeliveries)
    .set({ status: "sending", attempts: sql`${notificationDeliveries.attempts} + 1`, lockedUntil: new Date(Date.now() + leaseMs), updatedAt: new Date() })
    .where(
      and(
        eq(notificationDeliveries.id, deliveryId),
        or(eq(notificationDeliveries.status, "pending"), and(eq(notificationDeliveries.status, "sending"), lt(notificationDeliveries.lockedUntil, new Date()))),
      ),
    )
    .returning();
  if (!d) return { status: "not_claimed" };

  const [row] = await db()
    .select({ event: monitorEvents, monitor: monitors, channel: notificationChannels })
    .from(monitorEvents)
    .innerJoin(monitors, eq(monitors.id, monitorEvents.monitorId))
    .innerJoin(notificationChannels, eq(notificationChannels.id, d.channelId))
    .where(eq(monitorEvents.id, d.eventId));
  if (!row) {
    // The monitor or channel was deleted meanwhile (rows cascade); nothing to send.
    await db().update(notificationDeliveries).set({ status: "skipped", lastError: "monitor or channel deleted", lockedUntil: null, updatedAt: new Date() }).where(eq(notificationDeliveries.id, d.id));
    return { status: "skipped", httpStatus: null, response: null };
  }
  const message = buildMessage(row.event, row.monitor);
  const attempt = d.attempts;
  const started = performance.now();
  const outcome = await sendTo(row.channel, message, d.id);
  const latencyMs = Math.round(performance.now() - started);
  const now = new Date();
  const logRow = {
    organizationId: d.organizationId,
    deliveryId: d.id,
    channelId: row.channel.id,
    channelName: row.channel.name,
    channelType: row.channel.type,
    monitorId: row.monitor.id,
    eventKind: row.event.kind,
    attempt,
    latencyMs,
  };

  if (outcome.ok) {
    const skipped = Boolean(outcome.skipped);
    await db().transaction(async (tx) => {
      await tx
        .update(notificationDeliveries)
        .set({ status: skipped ? "skipped" : "delivered", deliveredAt: skipped ? null : now, lockedUntil: null, lastError: outcome.skipped ?? null, updatedAt: now })
        .where(eq(notificationDeliveries.id, d.id));
      await tx.insert(notificationLog).values({ ...logRow, status: skipped ? "skipped" : "delivered", httpStatus: outcome.httpStatus, response: outcome.skipped ?? outcome.response, error: null });
      if (!skipped) await tx.update(notificationChannels).set({ lastDeliveredAt: now, lastError: null, lastErrorAt: null }).where(eq(notificationChannels.id, row.channel.id));
    });
    return { status: skipped ? "skipped" : "delivered", httpStatus: outcome.httpStatus, response: outcome.response };
  }

  const err = outcome.error;
  const final = !err.retryable || attempt >= maxAttempts;
  await db().transaction(async (tx) => {
    await tx
      .update(notificationDeliveries)
      .set({ status: final ? "failed" : "pending", lockedUntil: null, lastError: err.message.slice(0, 1000), updatedAt: now })
      .where(eq(notificationDeliveries.id, d.id));
    await tx.insert(notificationLog).values({ ...logRow, status: final ? "failed" : "retrying", httpStatus: err.httpStatus, response: err.response?.slice(0, 1000) ?? null, error: err.message.slice(0, 1000) });
    await tx.update(notificationChannels).set({ lastError: err.message.slice(0, 1000), lastErrorAt: now }).where(eq(notificationChannels.id, row.channel.id));
  });
  return final ? { status: "failed", error: err } : { status: "retry", error: err };
}

type SendResult = { ok: true; httpStatus: number | null; response: string | null; skipped?: string } | { ok: false; error: DeliveryError };

/** Runs a channel's sender; anything unexpected becomes a retryable error with a generic message. */
export async function sendTo(channel: NotificationChannel, message: AlertMessage, deliveryId: string): Promise<SendResult> {
  try {
    const secrets = openChannelSecrets(channel);
    const r = await SENDERS[channel.type]({ channel, secrets, message, deliveryId });
    return { ok: true, ...r };
  } catch (e) {
    if (e instanceof DeliveryError) return { ok: false, error: e };
    const ref = crypto.randomUUID();
    log.error("notification sender failed", { ref, channelId: channel.id, type: channel.type, err: e });
    return { ok: false, error: new DeliveryError(`Unexpected error while sending (reference ${ref})`, true) };
  }
}
