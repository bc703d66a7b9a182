import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { createSession } from "../../auth/session";
import { recordAudit } from "../audit/record";

/** Opens the session once every factor has passed. */
export async function completeSignIn({ userId, meta, method }: { userId: string; meta: RequestMeta; method: "password" | "totp" | "recovery_code" }) {
  return db().transaction(async (tx) => {
    const [first] = await tx.select({ orgId: memberships.organizationId }).from(memberships).where(eq(memberships.userId, userId)).limit(1);
    const session = await createSession(tx, userId, first?.orgId ?? null, meta);
    await recordAudit(tx, { organizationId: null, actorUserId: userId, action: "auth.sign_in", metadata: { method }, meta });
    return { status: "signed_in" as const, token: session.token, expiresAt: session.expiresAt, userId };
  });
}
