import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships, sessions } from "../../db/schema";
import { NotFound } from "../../errors";
import { hashToken } from "../../lib/crypto";

/** Makes an organization the session's active one; only one the user belongs to. */
export async function switchOrganization({ userId, sessionToken, organizationId }: { userId: string; sessionToken: string; organizationId: string }) {
  if (!/^[0-9a-f-]{36}$/i.test(organizationId)) throw new NotFound("Organization not found.");
  const [m] = await db()
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)))
    .limit(1);
  if (!m) throw new NotFound("Organization not found.");
  await db()
    .update(sessions)
    .set({ activeOrganizationId: organizationId })
    .where(and(eq(sessions.idHash, hashToken(sessionToken)), eq(sessions.userId, userId)));
}
