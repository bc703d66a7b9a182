import { and, eq, isNotNull, sql } from "drizzle-orm";
import { db } from "../db/client";
import { memberships, users } from "../db/schema";

export const UNCONFIRMED_ALERT_SKIP = "confirm your email address first: no ADMIN of this organization has confirmed theirs";

/**
 * An organization sends alert email only once one of its ADMINs has proven an address:
 * otherwise anyone could sign up with someone else's address and point alert mail anywhere.
 * Asked in the delivery path (notifications/deliver.ts), not by the email provider, which the
 * schema's channel-type enum imports.
 */
export async function orgHasConfirmedAdmin(organizationId: string): Promise<boolean> {
  const [row] = await db()
    .select({ one: sql<number>`1` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "ADMIN"), isNotNull(users.emailVerifiedAt)))
    .limit(1);
  return Boolean(row);
}
