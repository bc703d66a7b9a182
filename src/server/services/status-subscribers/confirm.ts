import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPages, statusSubscribers } from "../../db/schema";
import { Invalid } from "../../errors";
import { hashToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { pageWhere, type PageSelector } from "../../status/subscribers";
import { tokenSchema } from "../../validation/status-subscribers";

export const CONFIRM_LINK_INVALID = "This confirmation link is not valid. It may have been replaced by a newer one, or the subscription was removed.";
export const CONFIRM_LINK_EXPIRED = "This confirmation link has expired. Subscribe again to get a new one.";

/**
 * The second step of the double opt-in: the link's token (looked up by its keyed hash)
 * confirms the subscription. Idempotent: a link opened twice (or by a mail scanner first)
 * answers "confirmed" again. The hash stays after confirming for that reason; a new sign-up
 * of a pending address replaces it, so only the newest link works.
 */
export async function confirmStatusSubscription({ page, input }: { page: PageSelector; input: unknown }): Promise<{ pageName: string; alreadyConfirmed: boolean }> {
  const { token } = parseInput(tokenSchema, input);
  const [row] = await db()
    .select({ id: statusSubscribers.id, confirmedAt: statusSubscribers.confirmedAt, expiresAt: statusSubscribers.confirmExpiresAt, pageName: statusPages.name })
    .from(statusSubscribers)
    .innerJoin(statusPages, eq(statusPages.id, statusSubscribers.pageId))
    .where(and(eq(statusSubscribers.confirmTokenHash, hashToken(token)), pageWhere(page)))
    .limit(1);
  if (!row) throw new Invalid(CONFIRM_LINK_INVALID);
  if (row.confirmedAt) return { pageName: row.pageName, alreadyConfirmed: true };
  if (!row.expiresAt || row.expiresAt.getTime() < Date.now()) throw new Invalid(CONFIRM_LINK_EXPIRED);
  await db()
    .update(statusSubscribers)
    .set({ confirmedAt: new Date() })
    .where(and(eq(statusSubscribers.id, row.id), isNull(statusSubscribers.confirmedAt)));
  return { pageName: row.pageName, alreadyConfirmed: false };
}
