import { and, isNotNull, isNull, lt } from "drizzle-orm";
import { db } from "../db/client";
import { statusNotices, statusSubscribers } from "../db/schema";

/** Days status-page notices and their deliveries (who was told what) are kept. */
export const STATUS_NOTICE_DAYS = 90;

/**
 * Keeps subscriber data minimal: an address never confirmed is deleted a day after its link
 * expired (the sign-up said nothing to anyone but its owner), and notices processed more than
 * `days` ago go with their deliveries (the record of who was told what). Unprocessed notices
 * and their pending deliveries are never touched.
 */
export async function purgeStatusSubscriberData(now = new Date(), days = STATUS_NOTICE_DAYS): Promise<{ unconfirmed: number; notices: number }> {
  const unconfirmed = await db()
    .delete(statusSubscribers)
    .where(and(isNull(statusSubscribers.confirmedAt), lt(statusSubscribers.confirmExpiresAt, new Date(now.getTime() - 86_400_000))))
    .returning({ id: statusSubscribers.id });
  const notices = await db()
    .delete(statusNotices)
    .where(and(isNotNull(statusNotices.processedAt), lt(statusNotices.processedAt, new Date(now.getTime() - days * 86_400_000))))
    .returning({ id: statusNotices.id });
  return { unconfirmed: unconfirmed.length, notices: notices.length };
}
