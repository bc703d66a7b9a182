import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { notificationChannels } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";
import { getChannelOrThrow } from "./internal";

/** Deletes a channel; monitors that chose it simply stop using it (links cascade). */
export async function deleteChannel({ ctx, channelId }: { ctx: Ctx; channelId: string }): Promise<void> {
  requirePermission(ctx, "channels:write");
  await db().transaction(async (tx) => {
    const c = await getChannelOrThrow(tx, ctx.org.id, channelId, { forUpdate: true });
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, c.id));
    await recordAudit(tx, { organizationId: ctx.org.id, actorUserId: ctx.actor.userId, action: "channel.deleted", targetType: "channel", targetId: c.id, metadata: { name: c.name, type: c.type }, meta: ctx.meta });
  });
}
