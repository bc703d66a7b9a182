import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { toChannelView } from "../../notifications/channel-config";
import type { ChannelView } from "../../notifications/channel-schema";
import { getChannelOrThrow } from "./internal";

export async function getChannel({ ctx, channelId }: { ctx: Ctx; channelId: string }): Promise<ChannelView> {
  requirePermission(ctx, "org:read");
  return toChannelView(await getChannelOrThrow(db(), ctx.org.id, channelId));
}
