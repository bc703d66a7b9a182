import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { sendTestNotification, type TestSendResult } from "../../notifications/test-send";
import { getChannelOrThrow } from "./internal";

/** "Send test notification": delivers a sample alert now and answers with the receiver's reply or the error. */
export async function sendChannelTest({ ctx, channelId }: { ctx: Ctx; channelId: string }): Promise<TestSendResult> {
  requirePermission(ctx, "channels:write");
  const channel = await getChannelOrThrow(db(), ctx.org.id, channelId);
  return sendTestNotification(channel);
}
