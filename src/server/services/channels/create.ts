import { randomBytes, randomUUID } from "node:crypto";
import { db } from "../../db/client";
import { notificationChannels } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { sealChannelSecrets, splitChannel, toChannelView } from "../../notifications/channel-config";
import { assertChannelTargetsAllowed } from "../../notifications/targets";
import { channelInputSchema, type ChannelView } from "../../notifications/channel-schema";
import { recordAudit } from "../audit/record";

/** Creates a channel. A webhook channel's signing secret is generated here and returned this once. */
export async function createChannel({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ChannelView> {
  requirePermission(ctx, "channels:write");
  const d = parseInput(channelInputSchema, input);
  assertChannelTargetsAllowed(d);
  const id = randomUUID();
  const { config, secrets } = splitChannel(d);
  const signingSecret = d.type === "webhook" ? `whsec_${randomBytes(32).toString("base64")}` : undefined;
  if (signingSecret) secrets.signingSecret = signingSecret;
  const row = await db().transaction(async (tx) => {
    const [c] = await tx
      .insert(notificationChannels)
      .values({ id, organizationId: ctx.org.id, name: d.name, type: d.type, isDefault: d.isDefault, config, secretsEnc: sealChannelSecrets(ctx.org.id, id, secrets), createdById: ctx.actor.userId })
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "channel.created",
      targetType: "channel",
      targetId: id,
      metadata: { name: d.name, type: d.type },
      meta: ctx.meta,
    });
    return c!;
  });
  return { ...toChannelView(row), ...(signingSecret ? { signingSecret } : {}) };
}
