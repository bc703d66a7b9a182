import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Invalid, Unauthorized } from "../../errors";
import { consumePending2fa, failPending2fa, getPending2fa } from "../../auth/pending-2fa";
import { parseInput } from "../../lib/parse";
import { twoFactorSignInSchema } from "../../validation/two-factor";
import { recordAudit } from "../audit/record";
import { completeSignIn } from "./complete-sign-in";
import { BAD_CODE, checkSecondFactor } from "./two-factor";

export const PENDING_GONE = "Your sign-in expired or had too many wrong codes. Sign in again with your password.";

/** The second step of a 2FA sign-in: five wrong codes end the pending sign-in. */
export async function completeTwoFactorSignIn({ pendingToken, input, meta }: { pendingToken: string | undefined; input: unknown; meta: RequestMeta }) {
  const { code } = parseInput(twoFactorSignInSchema, input);
  const pending = pendingToken ? await getPending2fa(pendingToken) : null;
  if (!pending || !pendingToken) throw new Unauthorized(PENDING_GONE);

  const method = await db().transaction(async (tx) => {
    const [u] = await tx.select().from(users).where(eq(users.id, pending.userId)).for("update");
    if (!u || !u.totpEnabledAt) return null;
    return checkSecondFactor(tx, u, code);
  });
  if (!method) {
    const left = await failPending2fa(pendingToken);
    await recordAudit(db(), { organizationId: null, actorUserId: pending.userId, action: "auth.sign_in_2fa_failed", metadata: { attemptsLeft: left }, meta });
    if (left === 0) throw new Unauthorized(PENDING_GONE);
    const msg = `${BAD_CODE} ${left} attempt${left === 1 ? "" : "s"} left.`;
    throw new Invalid(msg, { code: [msg] });
  }
  await consumePending2fa(pendingToken);
  return completeSignIn({ userId: pending.userId, meta, method });
}
