import { and, inArray, lt } from "drizzle-orm";
import { db } from "../db/client";
import { notificationDeliveries, notificationLog } from "../db/schema";

/** Notification history older than `days` (default 90) is deleted; pending work never is. */
export async function purgeNotificationHistory(now = new Date(), days = 90): Promise<{ log: number; deliveries: number }> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const log = await db().delete(notificationLog).where(lt(notificationLog.createdAt, cutoff)).returning({ id: notificationLog.id });
  const deliveries = await db()
    .delete(notificationDeliveries)
    .where(and(lt(notificationDeliveries.createdAt, cutoff), inArray(notificationDeliveries.status, ["delivered", "failed", "skipped"])))
    .returning({ id: notificationDeliveries.id });
  return { log: log.length, deliveries: deliveries.length };
}
