import { performance } from "node:perf_hooks";
import { db } from "../db/client";
import { notificationChannels, notificationLog, type NotificationChannel } from "../db/schema";
import { eq } from "drizzle-orm";
import { sendTo } from "./deliver";
import { testMessage } from "./message";

export type TestSendResult = { ok: boolean; httpStatus: number | null; response: string | null; error: string | null; latencyMs: number };

/** Sends a test notification now (no queue, no retry) and records it in the notification log. */
export async function sendTestNotification(channel: NotificationChannel): Promise<TestSendResult> {
  const started = performance.now();
  const r = await sendTo(channel, testMessage(channel.name), `test-${crypto.randomUUID()}`);
  const latencyMs = Math.round(performance.now() - started);
  const now = new Date();
  // A skipped test (an SMS beyond the plan's credits, an email before the address is confirmed) sent nothing: say why, as a failure.
  const skipped = r.ok ? r.skipped : undefined;
  const result: TestSendResult = !r.ok
    ? { ok: false, httpStatus: r.error.httpStatus, response: r.error.response, error: r.error.message, latencyMs }
    : skipped
      ? { ok: false, httpStatus: null, response: null, error: skipped, latencyMs }
      : { ok: true, httpStatus: r.httpStatus, response: r.response, error: null, latencyMs };
  await db().transaction(async (tx) => {
    await tx.insert(notificationLog).values({
      organizationId: channel.organizationId,
      channelId: channel.id,
      channelName: channel.name,
      channelType: channel.type,
      eventKind: "test",
      attempt: 1,
      status: skipped ? "skipped" : result.ok ? "delivered" : "failed",
      httpStatus: result.httpStatus,
      response: result.response?.slice(0, 1000) ?? null,
      error: result.error?.slice(0, 1000) ?? null,
      latencyMs,
    });
    // Skipped says nothing about the channel itself.
    if (skipped) return;
    await tx
      .update(notificationChannels)
      .set(result.ok ? { lastDeliveredAt: now, lastError: null, lastErrorAt: null } : { lastError: result.error, lastErrorAt: now })
      .where(eq(notificationChannels.id, channel.id));
  });
  return result;
}
