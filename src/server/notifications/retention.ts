import { and, inArray, lt } from "drizzle-orm";
import { db } from "../db/client";
import { notificationDeliveries, notificationLog } from "../db/schema";

/** Days the notification log and finished deliveries are kept (shown on Settings → Organization). */
export const NOTIFICATION_HISTORY_DAYS = 90;

/** Notification history older than `days` is deleted; pending work never is. */
export async function purgeNotificationHistory(now = new Date(), days = NOTIFICATION_HISTORY_DAYS): Promise<{ log: number; deliveries: number }> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const log = await db().delete(notificationLog).where(lt(notificationLog.createdAt, cutoff)).returning({ id: notificationLog.id });
  const deliveries = await db()
    .delete(notificationDeliveries)
    .where(and(lt(notificationDeliveries.createdAt, cutoff), inArray(notificationDeliveries.status, ["delivered", "failed", "skipped"])))
    .returning({ id: notificationDeliveries.id });
  return { log: log.length, deliveries: deliveries.length };
}
