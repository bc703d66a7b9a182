import { randomUUID } from "node:crypto";
import { requirePermission } from "../../auth/permissions";
import { assertPublicTarget } from "../../checks/ssrf";
import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { statusSubscribers } from "../../db/schema";
import { env } from "../../env";
import { parseInput } from "../../lib/parse";
import { newSigningSecret, sealWebhook } from "../../status/subscribers";
import { webhookSubscriberSchema } from "../../validation/status-subscribers";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, ownComponentIds } from "../status-pages/internal";

/**
 * Adds a webhook subscriber to a page (EDITOR): a system the organization runs, told of every
 * notice with a signed JSON POST. Not a public sign-up — an open form that makes Perigee POST
 * to any URL would be a free request cannon — so no opt-in mail either: confirmed at once.
 * The signing secret is generated here and returned this once; URL and secret are sealed
 * together. The URL is SSRF-checked now and again, after DNS, at every send.
 */
export async function addStatusWebhookSubscriber({ ctx, pageId, input }: { ctx: Ctx; pageId: string; input: unknown }): Promise<{ id: string; signingSecret: string; componentIds: string[] }> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(webhookSubscriberSchema, input);
  assertPublicTarget(d.url, env().ALLOW_PRIVATE_TARGETS, "url");
  const page = await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  const componentIds = await ownComponentIds(db(), page.id, d.componentIds);
  const id = randomUUID();
  const signingSecret = newSigningSecret();
  await db().transaction(async (tx) => {
    await tx.insert(statusSubscribers).values({
      id,
      organizationId: ctx.org.id,
      pageId: page.id,
      kind: "webhook",
      secretsEnc: sealWebhook(id, { url: d.url, signingSecret }),
      componentIds,
      confirmedAt: new Date(),
    });
    await recordAudit(tx, { organizationId: ctx.org.id, actorUserId: ctx.actor.userId, action: "status_subscriber.webhook_added", targetType: "status_page", targetId: page.id, meta: ctx.meta });
  });
  return { id, signingSecret, componentIds };
}
