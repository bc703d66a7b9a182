import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { notificationChannels, type NotificationChannel } from "../../db/schema";
import { NotFound } from "../../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scoped fetch-or-throw: another organization's channel is indistinguishable from none. */
export async function getChannelOrThrow(tx: DbOrTx, organizationId: string, channelId: string, opts: { forUpdate?: boolean } = {}): Promise<NotificationChannel> {
  if (!UUID.test(channelId)) throw new NotFound("Channel not found.");
  const q = tx
    .select()
    .from(notificationChannels)
    .where(and(eq(notificationChannels.id, channelId), eq(notificationChannels.organizationId, organizationId)))
    .limit(1);
  const [c] = opts.forUpdate ? await q.for("update") : await q;
  if (!c) throw new NotFound("Channel not found.");
  return c;
}
