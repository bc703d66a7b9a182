import { and, asc, eq, inArray, ne, notExists, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { monitorChannels, monitors, notificationChannels } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";
import { getChannelOrThrow } from "./internal";

export type DeleteChannelResult = {
  /** Monitors whose only own channel this was: they now use the organization's default channels. */
  monitorsNowOnDefaults: { id: string; name: string }[];
  /** How many default channels those monitors now alert through (0: nobody until one is marked default). */
  defaultChannelCount: number;
};

/**
 * Deletes a channel; monitors that chose it stop using it (links cascade). A monitor whose
 * only own channel this was would otherwise keep "own channels" with none linked and alert
 * nobody, so it falls back to the organization's default channels in the same transaction.
 */
export async function deleteChannel({ ctx, channelId }: { ctx: Ctx; channelId: string }): Promise<DeleteChannelResult> {
  requirePermission(ctx, "channels:write");
  return db().transaction(async (tx) => {
    await getChannelOrThrow(tx, ctx.org.id, channelId);
    const linkedTo = (id: string) => tx.select({ monitorId: monitorChannels.monitorId }).from(monitorChannels).where(eq(monitorChannels.channelId, id));
    // Lock order monitor → channel, as updateMonitor takes it (its monitor row, then the
    // channel rows its links reference), so the two cannot deadlock.
    await tx
      .select({ id: monitors.id })
      .from(monitors)
      .where(and(eq(monitors.organizationId, ctx.org.id), eq(monitors.customChannels, true), inArray(monitors.id, linkedTo(channelId))))
      .orderBy(asc(monitors.id))
      .for("update");
    const c = await getChannelOrThrow(tx, ctx.org.id, channelId, { forUpdate: true });
    // A fresh statement: it sees links committed while we waited for the locks above.
    const others = tx
      .select({ one: sql`1` })
      .from(monitorChannels)
      .where(and(eq(monitorChannels.monitorId, monitors.id), ne(monitorChannels.channelId, c.id)));
    // No version bump: routing is read by the outbox, not by checks, so nothing to reschedule.
    const moved = await tx
      .update(monitors)
      .set({ customChannels: false, updatedAt: new Date() })
      .where(and(eq(monitors.organizationId, ctx.org.id), eq(monitors.customChannels, true), inArray(monitors.id, linkedTo(c.id)), notExists(others)))
      .returning({ id: monitors.id, name: monitors.name });
    moved.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    await tx.delete(notificationChannels).where(eq(notificationChannels.id, c.id));
    const defaultChannelCount = await tx.$count(notificationChannels, and(eq(notificationChannels.organizationId, ctx.org.id), eq(notificationChannels.isDefault, true)));

    const audit = { organizationId: ctx.org.id, actorUserId: ctx.actor.userId, meta: ctx.meta };
    await recordAudit(tx, { ...audit, action: "channel.deleted", targetType: "channel", targetId: c.id, metadata: { name: c.name, type: c.type, monitorsNowOnDefaults: moved.map((m) => m.id) } });
    for (const m of moved) {
      await recordAudit(tx, {
        ...audit,
        action: "monitor.updated",
        targetType: "monitor",
        targetId: m.id,
        metadata: { fields: ["channelIds"], channelIds: null, reason: `its only channel "${c.name}" was deleted; it now uses the default channels` },
      });
    }
    return { monitorsNowOnDefaults: moved, defaultChannelCount };
  });
}
