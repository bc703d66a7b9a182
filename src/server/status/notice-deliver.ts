import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { db } from "../db/client";
import { statusIncidents, statusIncidentUpdates, statusMaintenances, statusNoticeDeliveries, statusNotices, statusPageComponents, statusPages, statusSubscribers } from "../db/schema";
import { env } from "../env";
import { log } from "../log";
import { orgIsLive } from "../privacy/live";
import { sendMail } from "../mail/mailer";
import { signWebhook } from "../notifications/providers/webhook";
import { DeliveryError, judge, postRaw } from "../notifications/http";
import { noticeMail, noticeWebhookBody, type NoticeFacts } from "./notice-message";
import { openWebhook, unsubscribeUrl } from "./subscribers";

export type NoticeDeliveryResult = { status: "delivered" | "skipped" | "not_claimed" } | { status: "retry" | "failed"; error: DeliveryError };

/**
 * Sends one delivery of a page notice. The row is claimed first (pending → sending with a
 * lease, or a 'sending' row whose lease ran out: its sender crashed), so a retried job, a
 * sweeper duplicate or two workers send at most once while the lease holds, and a delivered
 * row is never sent again.
 */
export async function deliverNotice(deliveryId: string, opts: { maxAttempts?: number } = {}): Promise<NoticeDeliveryResult> {
  const maxAttempts = opts.maxAttempts ?? env().NOTIFY_ATTEMPTS;
  const leaseSeconds = (env().NOTIFY_TIMEOUT_MS + 30_000) / 1000;
  const [d] = await db()
    .update(statusNoticeDeliveries)
    .set({ status: "sending", attempts: sql`${statusNoticeDeliveries.attempts} + 1`, lockedUntil: sql`now() + make_interval(secs => ${leaseSeconds})`, updatedAt: new Date() })
    .where(
      and(
        eq(statusNoticeDeliveries.id, deliveryId),
        or(eq(statusNoticeDeliveries.status, "pending"), and(eq(statusNoticeDeliveries.status, "sending"), lt(statusNoticeDeliveries.lockedUntil, sql`now()`))),
        orgIsLive(statusNoticeDeliveries.organizationId),
      ),
    )
    .returning();
  if (!d) return { status: "not_claimed" };

  const [row] = await db()
    .select({ notice: statusNotices, subscriber: statusSubscribers, page: statusPages })
    .from(statusNotices)
    .innerJoin(statusSubscribers, eq(statusSubscribers.id, d.subscriberId))
    .innerJoin(statusPages, eq(statusPages.id, statusNotices.pageId))
    .where(eq(statusNotices.id, d.noticeId));
  if (!row || !row.page.published || !row.subscriber.confirmedAt) {
    await finish(d.id, { status: "skipped", lastError: "the page was unpublished or the subscriber removed" });
    return { status: "skipped" };
  }

  const facts = await factsOf(row.page, row.notice);
  try {
    if (row.subscriber.kind === "email") {
      if (!row.subscriber.email) throw new DeliveryError("The subscriber has no address", false);
      const unsub = unsubscribeUrl(row.page, row.subscriber.id);
      await sendMail({
        to: row.subscriber.email,
        ...noticeMail(facts, unsub),
        headers: { "List-Unsubscribe": `<${unsub}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      }).catch((e: Error & { responseCode?: number }) => {
        // 5xx from the mail server (no such mailbox…) is final; anything else may pass later.
        throw new DeliveryError(`The mail server refused: ${e.message}`.slice(0, 500), !(e.responseCode && e.responseCode >= 500));
      });
    } else {
      if (!row.subscriber.secretsEnc) throw new DeliveryError("The webhook subscriber has no URL", false);
      const { url, signingSecret } = openWebhook(row.subscriber.id, row.subscriber.secretsEnc);
      const body = JSON.stringify(noticeWebhookBody(facts));
      const ts = Math.floor(Date.now() / 1000);
      const headers = { "content-type": "application/json", "webhook-id": d.id, "webhook-timestamp": String(ts), "webhook-signature": signWebhook(signingSecret, d.id, ts, body) };
      judge(await postRaw(url, body, headers, { guard: true }), "The webhook receiver");
    }
  } catch (e) {
    const err = e instanceof DeliveryError ? e : unexpected(e, d.id);
    const final = !err.retryable || d.attempts >= maxAttempts;
    await finish(d.id, { status: final ? "failed" : "pending", lastError: err.message.slice(0, 1000) });
    return { status: final ? "failed" : "retry", error: err };
  }
  await finish(d.id, { status: "delivered", lastError: null, deliveredAt: new Date() });
  return { status: "delivered" };
}

function unexpected(e: unknown, deliveryId: string): DeliveryError {
  const ref = crypto.randomUUID();
  log.error("status notice sender failed", { ref, deliveryId, err: e });
  return new DeliveryError(`Unexpected error while sending (reference ${ref})`, true);
}

async function finish(id: string, v: { status: string; lastError: string | null; deliveredAt?: Date }) {
  await db()
    .update(statusNoticeDeliveries)
    .set({ status: v.status, lastError: v.lastError, deliveredAt: v.deliveredAt ?? null, lockedUntil: null, updatedAt: new Date() })
    .where(eq(statusNoticeDeliveries.id, id));
}

async function factsOf(page: typeof statusPages.$inferSelect, notice: typeof statusNotices.$inferSelect): Promise<NoticeFacts> {
  const [incident] = notice.incidentId ? await db().select().from(statusIncidents).where(eq(statusIncidents.id, notice.incidentId)) : [];
  const [update] = notice.updateId ? await db().select().from(statusIncidentUpdates).where(eq(statusIncidentUpdates.id, notice.updateId)) : [];
  const [maintenance] = notice.maintenanceId ? await db().select().from(statusMaintenances).where(eq(statusMaintenances.id, notice.maintenanceId)) : [];
  const components = notice.componentIds.length
    ? await db()
        .select({ id: statusPageComponents.id, name: statusPageComponents.name })
        .from(statusPageComponents)
        .where(and(eq(statusPageComponents.pageId, page.id), inArray(statusPageComponents.id, notice.componentIds)))
        .orderBy(statusPageComponents.position)
    : [];
  return { page, notice, incident: incident ?? null, update: update ?? null, maintenance: maintenance ?? null, components };
}
