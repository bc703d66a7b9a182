import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { db, pool } from "../db/client";
import { notificationDeliveries, type ChannelType, type NotificationChannel } from "../db/schema";
import { env } from "../env";
import { log } from "../log";
import { openChannelSecrets } from "./channel-config";
import { DeliveryError } from "./http";
import { buildMessage, type AlertMessage } from "./message";
import { providerOf } from "./providers";
import { returnSmsCredit, takeSmsCredit } from "./sms-credits";
import { UNCONFIRMED_ALERT_SKIP, orgHasConfirmedAdmin } from "./email-gate";

export type DeliveryResult =
  | { status: "delivered" | "skipped"; httpStatus: number | null; response: string | null }
  /** `leasedForMs`: another sender holds the row this much longer (it may have died; see notClaimed). */
  | { status: "not_claimed"; leasedForMs?: number }
  | { status: "retry"; error: DeliveryError }
  | { status: "failed"; error: DeliveryError };

/** The log's error text for an attempt whose sender stopped before recording its outcome. */
export const INTERRUPTED_ERROR =
  "The sender stopped during this attempt, before recording its outcome (the worker crashed or was restarted); the receiver may have received it. The next attempt repeats it with the same id.";

/**
 * Sends one delivery, at least once. The row is claimed first (pending → sending, with a lease)
 * and the attempt's log row is written in the same statement, so two runs of the same job — a
 * retried job, a sweeper duplicate, two workers — never send concurrently, a recorded outcome
 * is never sent again, and every attempt is in the log from its start. A sender that dies
 * mid-send leaves the lease to expire; the next claim marks that attempt 'interrupted' (the
 * receiver may have got it) and sends again with the same id, so receivers can dedupe.
 */
export async function deliver(deliveryId: string, opts: { maxAttempts?: number } = {}): Promise<DeliveryResult> {
  const maxAttempts = opts.maxAttempts ?? env().NOTIFY_ATTEMPTS;
  const leaseMs = env().NOTIFY_TIMEOUT_MS + 30_000;
  // Claim, mark the previous attempt interrupted if its sender died, open this attempt's log row
  // and load what to send, in one round trip (a named statement, so Postgres plans it once).
  const claimed = await pool().query<ClaimRow>({
    name: "perigee_notify_claim_logged",
    text: `with d as (
        update notification_deliveries set status = 'sending', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2), updated_at = now()
        where id = $1 and (status = 'pending' or (status = 'sending' and locked_until < now()))
          and not exists (select 1 from organizations o where o.id = notification_deliveries.organization_id and o.deleted_at is not null)
        returning id, organization_id, event_id, channel_id, attempts),
      j as (
        select d.id, d.organization_id, d.attempts, e.id as event_id, e.kind, e.incident_id, e.to_state, e.payload, e.created_at,
          m.id as monitor_id, m.name as monitor_name, m.type as monitor_type, m.config as monitor_config,
          c.id as channel_id, c.organization_id as channel_org, c.name as channel_name, c.type as channel_type, c.config as channel_config, c.secrets_enc
        from d left join monitor_events e on e.id = d.event_id left join monitors m on m.id = e.monitor_id left join notification_channels c on c.id = d.channel_id),
      interrupted as (
        update notification_log set status = 'interrupted', error = $3
        where delivery_id = $1 and status = 'sending' and exists (select 1 from d)),
      opened as (
        insert into notification_log (organization_id, delivery_id, channel_id, channel_name, channel_type, monitor_id, event_kind, attempt, status, latency_ms, created_at)
        select j.organization_id, j.id, j.channel_id, j.channel_name, j.channel_type, j.monitor_id, j.kind, j.attempts, 'sending', 0, now()
        from j where j.monitor_id is not null and j.channel_id is not null)
      select * from j`,
    values: [deliveryId, leaseMs / 1000, INTERRUPTED_ERROR],
  });
  const d = claimed.rows[0];
  if (!d) return notClaimed(deliveryId);
  if (!d.monitor_id || !d.channel_id) {
    // The monitor or channel was deleted meanwhile (rows cascade); nothing to send.
    await db().update(notificationDeliveries).set({ status: "skipped", lastError: "monitor or channel deleted", lockedUntil: null, updatedAt: new Date() }).where(eq(notificationDeliveries.id, d.id));
    return { status: "skipped", httpStatus: null, response: null };
  }
  const row = {
    event: { id: d.event_id, kind: d.kind, incidentId: d.incident_id, toState: d.to_state, payload: d.payload, createdAt: d.created_at },
    monitor: { id: d.monitor_id, name: d.monitor_name, type: d.monitor_type, config: d.monitor_config },
    channel: { id: d.channel_id, organizationId: d.channel_org, name: d.channel_name, type: d.channel_type, config: d.channel_config, secretsEnc: d.secrets_enc },
  };
  const message = buildMessage(row.event, row.monitor);
  const attempt = d.attempts;
  const started = performance.now();
  const outcome = await sendTo(row.channel, message, d.id);
  const latencyMs = Math.round(performance.now() - started);
  const now = new Date();
  const logRow = { deliveryId: d.id, attempt, latencyMs };

  if (outcome.ok) {
    const skipped = Boolean(outcome.skipped);
    await finish({
      status: skipped ? "skipped" : "delivered",
      deliveredAt: skipped ? null : now,
      lastError: outcome.skipped ?? null,
      log: { ...logRow, status: skipped ? "skipped" : "delivered", httpStatus: outcome.httpStatus, response: (outcome.skipped ?? outcome.response)?.slice(0, 1000) ?? null, error: null },
      channel: skipped ? null : { id: row.channel.id, error: null },
      now,
    });
    return { status: skipped ? "skipped" : "delivered", httpStatus: outcome.httpStatus, response: outcome.response };
  }

  const err = outcome.error;
  const final = !err.retryable || attempt >= maxAttempts;
  const message1k = err.message.slice(0, 1000);
  await finish({
    status: final ? "failed" : "pending",
    deliveredAt: null,
    lastError: message1k,
    log: { ...logRow, status: final ? "failed" : "retrying", httpStatus: err.httpStatus, response: err.response?.slice(0, 1000) ?? null, error: message1k },
    channel: { id: row.channel.id, error: message1k },
    now,
  });
  return final ? { status: "failed", error: err } : { status: "retry", error: err };
}

/**
 * Not claimed: done already, or another sender holds the lease. A held lease may be a sender
 * that died (its job re-run by BullMQ's stalled-job recovery before the lease ran out): the
 * job should then come back just after the lease (jobs/processors.ts), when the claim can take
 * it over, rather than complete and leave the delivery to the sweeper.
 */
async function notClaimed(deliveryId: string): Promise<DeliveryResult> {
  const r = await pool().query<{ wait_ms: number }>({
    name: "perigee_notify_lease_left",
    text: "select ceil(extract(epoch from locked_until - now()) * 1000)::int as wait_ms from notification_deliveries where id = $1 and status = 'sending' and locked_until >= now()",
    values: [deliveryId],
  });
  const leasedForMs = r.rows[0]?.wait_ms;
  return leasedForMs === undefined ? { status: "not_claimed" } : { status: "not_claimed", leasedForMs };
}

type ClaimRow = {
  id: string;
  organization_id: string;
  attempts: number;
  event_id: string;
  kind: string;
  incident_id: string | null;
  to_state: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
  monitor_id: string | null;
  monitor_name: string;
  monitor_type: string;
  monitor_config: Record<string, unknown>;
  channel_id: string | null;
  channel_org: string;
  channel_name: string;
  channel_type: ChannelType;
  channel_config: Record<string, unknown>;
  secrets_enc: string | null;
};

type LogValues = {
  deliveryId: string;
  attempt: number;
  latencyMs: number;
  status: string;
  httpStatus: number | null;
  response: string | null;
  error: string | null;
};

/**
 * Records an attempt's outcome in one round trip: the delivery's new status, its log row
 * (opened by the claim, finished here in place) and the channel's last success or error commit
 * together. A success touches the channel row at most every 10 s (or when it clears an error),
 * so thousands of deliveries to one channel don't queue on its row lock.
 */
async function finish(o: { status: string; deliveredAt: Date | null; lastError: string | null; log: LogValues; channel: { id: string; error: string | null } | null; now: Date }) {
  const l = o.log;
  const variant = !o.channel ? "none" : o.channel.error === null ? "ok" : "error";
  const channelUpdate = {
    none: "select 1",
    ok: `update notification_channels set last_delivered_at = $8, last_error = null, last_error_at = null
         where id = $12 and (last_error is not null or last_delivered_at is null or last_delivered_at < $8::timestamptz - interval '10 seconds')`,
    error: "update notification_channels set last_error = $11, last_error_at = $8 where id = $12",
  }[variant];
  await pool().query({
    name: `perigee_notify_finish_logged_${variant}`,
    text: `with d as (
        update notification_deliveries set status = $9::delivery_status, delivered_at = $10, locked_until = null, last_error = $11, updated_at = $8
        where id = $1
      ), l as (
        update notification_log set status = $3, http_status = $4, error = $5, response = $6, latency_ms = $7
        where delivery_id = $1 and attempt = $2
      ), c as (${channelUpdate})
      select 1`,
    values: [l.deliveryId, l.attempt, l.status, l.httpStatus, l.error, l.response, l.latencyMs, o.now, o.status, o.deliveredAt, o.lastError, ...(o.channel ? [o.channel.id] : [])],
  });
}

type SendResult = { ok: true; httpStatus: number | null; response: string | null; skipped?: string } | { ok: false; error: DeliveryError };

/**
 * Runs a channel's sender; anything unexpected becomes a retryable error with a generic message.
 * An SMS first takes one of the plan's monthly credits (none left: skipped, with the reason),
 * given back when the provider does not accept it. Email waits for a confirmed ADMIN address
 * (skipped, not failed: it starts working once one confirms).
 */
export async function sendTo(channel: Pick<NotificationChannel, "id" | "organizationId" | "name" | "type" | "config" | "secretsEnc">, message: AlertMessage, deliveryId: string): Promise<SendResult> {
  if (channel.type === "email" && !(await orgHasConfirmedAdmin(channel.organizationId))) return { ok: true, httpStatus: null, response: null, skipped: UNCONFIRMED_ALERT_SKIP };
  const credit = channel.type === "sms" ? await takeSmsCredit(channel.organizationId) : null;
  if (credit && !credit.granted) return { ok: true, httpStatus: null, response: null, skipped: credit.reason };
  const r = await runSender(channel, message, deliveryId);
  if (credit?.granted && !r.ok) await returnSmsCredit(channel.organizationId, credit.month);
  return r;
}

async function runSender(channel: Pick<NotificationChannel, "id" | "organizationId" | "name" | "type" | "config" | "secretsEnc">, message: AlertMessage, deliveryId: string): Promise<SendResult> {
  try {
    const secrets = openChannelSecrets(channel);
    const r = await providerOf(channel.type).send({ channel, secrets, message, deliveryId });
    return { ok: true, ...r };
  } catch (e) {
    if (e instanceof DeliveryError) return { ok: false, error: e };
    const ref = crypto.randomUUID();
    log.error("notification sender failed", { ref, channelId: channel.id, type: channel.type, err: e });
    return { ok: false, error: new DeliveryError(`Unexpected error while sending (reference ${ref})`, true) };
  }
}
