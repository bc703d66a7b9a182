import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusSubscribers } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid, NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { subscriberEmailSchema } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, isUuid } from "../status-pages/internal";

/** Removes one subscriber of the page, named by id or by email address (a request to be forgotten). */
export async function removeStatusSubscriber({ ctx, pageId, subscriberId, email }: { ctx: Ctx; pageId: string; subscriberId?: string; email?: string }): Promise<void> {
  requirePermission(ctx, "status-pages:write");
  const page = await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  if (subscriberId === undefined && !email) throw new Invalid("Name the subscriber: its id or its email address.", { email: ["Enter an email address"] });
  if (subscriberId !== undefined && !isUuid(subscriberId)) throw new NotFound("Subscriber not found.");
  const address = subscriberId === undefined ? parseInput(subscriberEmailSchema, { email }).email : undefined;
  await db().transaction(async (tx) => {
    const [gone] = await tx
      .delete(statusSubscribers)
      .where(
        and(
          eq(statusSubscribers.pageId, page.id),
          eq(statusSubscribers.organizationId, ctx.org.id),
          subscriberId !== undefined ? eq(statusSubscribers.id, subscriberId) : eq(statusSubscribers.email, address!),
        ),
      )
      .returning({ id: statusSubscribers.id, kind: statusSubscribers.kind });
    if (!gone) throw new NotFound("Subscriber not found.");
    // The address is personal data: the audit log keeps the id only.
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_subscriber.removed",
      targetType: "status_subscriber",
      targetId: gone.id,
      metadata: { pageId: page.id, kind: gone.kind },
      meta: ctx.meta,
    });
  });
}
