import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { notificationChannels } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { channelToInput, openChannelSecrets, sealChannelSecrets, splitChannel, toChannelView } from "../../notifications/channel-config";
import { assertChannelTargetsAllowed } from "../../notifications/targets";
import { MASK, channelInputSchema, type ChannelView } from "../../notifications/channel-schema";
import { CHANNEL_SECRET_FIELDS } from "../../notifications/providers";
import { recordAudit } from "../audit/record";
import { getChannelOrThrow } from "./internal";

/** Partial update: given fields merge onto the stored channel; a masked or empty secret keeps the stored one. */
export async function updateChannel({ ctx, channelId, patch }: { ctx: Ctx; channelId: string; patch: Record<string, unknown> }): Promise<ChannelView> {
  requirePermission(ctx, "channels:write");
  const row = await db().transaction(async (tx) => {
    const current = await getChannelOrThrow(tx, ctx.org.id, channelId, { forUpdate: true });
    if (patch.type !== undefined && patch.type !== current.type) {
      const msg = "A channel's type cannot change; create a new channel instead.";
      throw new Invalid(msg, { type: [msg] });
    }
    const base = channelToInput(current);
    const merged: Record<string, unknown> = { ...base, ...patch };
    for (const f of CHANNEL_SECRET_FIELDS[current.type] as readonly string[]) if (patch[f] === MASK || patch[f] === "") merged[f] = base[f];
    // Explicit nulls clear optional fields.
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    const d = parseInput(channelInputSchema, merged);
    assertChannelTargetsAllowed(d);
    const { config, secrets } = splitChannel(d);
    const old = openChannelSecrets(current);
    if (old.signingSecret) secrets.signingSecret = old.signingSecret;
    const [c] = await tx
      .update(notificationChannels)
      .set({ name: d.name, isDefault: d.isDefault, config, secretsEnc: sealChannelSecrets(ctx.org.id, current.id, secrets), updatedAt: new Date() })
      .where(eq(notificationChannels.id, current.id))
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "channel.updated",
      targetType: "channel",
      targetId: current.id,
      metadata: { fields: Object.keys(patch).filter((k) => !(CHANNEL_SECRET_FIELDS[current.type] as readonly string[]).includes(k)) },
      meta: ctx.meta,
    });
    return c!;
  });
  return toChannelView(row);
}
