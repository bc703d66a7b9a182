import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { assertNotThrottled, hit, type Window } from "../../auth/throttle";
import { sendTestNotification, type TestSendResult } from "../../notifications/test-send";
import { getChannelOrThrow } from "./internal";

/**
 * Test sends reach real people (SMS, email, pages) and may spend the install's provider
 * credit, so they are limited: per channel enough to debug a receiver, per organization a
 * ceiling against pumping messages through many channels.
 */
export const TEST_SEND_PER_CHANNEL: Window = { limit: 10, windowSeconds: 10 * 60 };
export const TEST_SEND_PER_ORG: Window = { limit: 30, windowSeconds: 60 * 60 };

/** "Send test notification": delivers a sample alert now and answers with the receiver's reply or the error. */
export async function sendChannelTest({ ctx, channelId }: { ctx: Ctx; channelId: string }): Promise<TestSendResult> {
  requirePermission(ctx, "channels:write");
  const channel = await getChannelOrThrow(db(), ctx.org.id, channelId);
  const perChannel = `throttle:testsend:channel:${channel.id}`;
  const perOrg = `throttle:testsend:org:${ctx.org.id}`;
  await assertNotThrottled([
    { key: perChannel, window: TEST_SEND_PER_CHANNEL, what: "test sends on this channel" },
    { key: perOrg, window: TEST_SEND_PER_ORG, what: "test sends in this organization" },
  ]);
  await Promise.all([hit(perChannel, TEST_SEND_PER_CHANNEL), hit(perOrg, TEST_SEND_PER_ORG)]);
  return sendTestNotification(channel);
}
