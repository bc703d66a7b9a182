import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPages, statusSubscribers } from "../../db/schema";
import { Invalid } from "../../errors";
import { parseInput } from "../../lib/parse";
import { pageWhere, subscriberOfToken, type PageSelector } from "../../status/subscribers";
import { tokenSchema } from "../../validation/status-subscribers";

export const UNSUBSCRIBE_LINK_INVALID = "This unsubscribe link is not valid. Use the link of the most recent email you received.";

/**
 * Removes a subscriber by the signed token of its mails' unsubscribe link: the row (the
 * address and its choices) is deleted, with any deliveries still queued for it. Idempotent:
 * a second click, or a one-click POST after the page's button, answers the same.
 */
export async function unsubscribeFromStatusPage({ page: by, input }: { page: PageSelector; input: unknown }): Promise<{ removed: boolean }> {
  const { token } = parseInput(tokenSchema, input);
  const id = subscriberOfToken(token);
  if (!id) throw new Invalid(UNSUBSCRIBE_LINK_INVALID);
  const [page] = await db().select({ id: statusPages.id }).from(statusPages).where(pageWhere(by)).limit(1);
  if (!page) return { removed: false };
  const gone = await db()
    .delete(statusSubscribers)
    .where(and(eq(statusSubscribers.id, id), eq(statusSubscribers.pageId, page.id)))
    .returning({ id: statusSubscribers.id });
  return { removed: gone.length > 0 };
}
