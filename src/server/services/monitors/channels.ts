import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { monitorChannels, notificationChannels } from "../../db/schema";
import { Invalid } from "../../errors";

/** Replaces a monitor's own channel links; every id must be a channel of the same organization. */
export async function setMonitorChannels(tx: DbOrTx, organizationId: string, monitorId: string, channelIds: string[] | null | undefined): Promise<void> {
  await tx.delete(monitorChannels).where(eq(monitorChannels.monitorId, monitorId));
  const ids = [...new Set(channelIds ?? [])];
  if (!ids.length) return;
  const found = await tx
    .select({ id: notificationChannels.id })
    .from(notificationChannels)
    .where(and(eq(notificationChannels.organizationId, organizationId), inArray(notificationChannels.id, ids)))
    // Held until commit: a channel deleted meanwhile waits for us, or is already gone and
    // reported as unknown here (not as a foreign-key error at the insert).
    .for("share");
  const known = new Set(found.map((f) => f.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    const msg = `Unknown channel${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`;
    throw new Invalid(msg, { channelIds: [msg] });
  }
  await tx.insert(monitorChannels).values(ids.map((channelId) => ({ monitorId, channelId })));
}
