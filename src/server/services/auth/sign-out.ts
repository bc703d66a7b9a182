import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { sessions } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { hashToken } from "../../lib/crypto";
import { recordAudit } from "../audit/record";

export async function signOut({ token, meta }: { token: string | undefined; meta: RequestMeta }): Promise<void> {
  if (!token) return;
  await db().transaction(async (tx) => {
    const [s] = await tx
      .delete(sessions)
      .where(eq(sessions.idHash, hashToken(token)))
      .returning({ userId: sessions.userId });
    if (s) await recordAudit(tx, { organizationId: null, actorUserId: s.userId, action: "auth.sign_out", meta });
  });
}
