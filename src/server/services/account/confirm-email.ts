import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { emailTokens, passwordResetTokens, users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Conflict, Invalid } from "../../errors";
import { hashToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { confirmEmailSchema } from "../../validation/account";
import { recordAudit } from "../audit/record";
import { isDuplicateEmail } from "../auth/insert-account";
import { sendEmailChangedNotice } from "./internal";

export const EMAIL_LINK_INVALID = "This confirmation link has expired or was already used. Send a new one from Settings → Account.";
const TAKEN = "This address is now used by another Perigee account, so it cannot be yours. Choose another address in Settings → Account.";

export type ConfirmEmailResult = { purpose: "verify" | "change"; email: string };

/**
 * Opens a link from confirmation mail (the token is the credential: no session needed, the
 * link may be opened on a phone). `verify` marks the current address proven; `change` makes
 * the new address the account's, tells the old one, and keeps every session.
 */
export async function confirmEmail({ input, meta }: { input: unknown; meta: RequestMeta }): Promise<ConfirmEmailResult> {
  const { token } = parseInput(confirmEmailSchema, input);
  const done = await db()
    .transaction(async (tx) => {
      const now = new Date();
      // Claimed with a conditional update: two clicks at once cannot both use the link.
      const [t] = await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.tokenHash, hashToken(token)), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
        .returning();
      if (!t) throw new Invalid(EMAIL_LINK_INVALID, { token: [EMAIL_LINK_INVALID] });
      const [u] = await tx.select().from(users).where(eq(users.id, t.userId));
      if (!u) throw new Invalid(EMAIL_LINK_INVALID, { token: [EMAIL_LINK_INVALID] });

      if (t.purpose === "verify") {
        if (u.email.toLowerCase() !== t.email.toLowerCase()) throw new Invalid(EMAIL_LINK_INVALID, { token: [EMAIL_LINK_INVALID] });
        await tx
          .update(users)
          .set({ emailVerifiedAt: u.emailVerifiedAt ?? now, updatedAt: now })
          .where(eq(users.id, u.id));
        await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.email_confirmed", meta });
        return { result: { purpose: "verify" as const, email: u.email }, previous: null };
      }

      const [other] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(sql`lower(${users.email})`, t.email.toLowerCase()), ne(users.id, u.id)))
        .limit(1);
      if (other) throw new Conflict(TAKEN, { email: [TAKEN] });
      await tx.update(users).set({ email: t.email, emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, u.id));
      // Links mailed to the old address (reset, verify) must not outlive the change.
      await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.userId, u.id), isNull(emailTokens.usedAt)));
      await tx
        .update(passwordResetTokens)
        .set({ usedAt: now })
        .where(and(eq(passwordResetTokens.userId, u.id), isNull(passwordResetTokens.usedAt)));
      await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.email_changed", metadata: { from: u.email, to: t.email }, meta });
      return { result: { purpose: "change" as const, email: t.email }, previous: { name: u.name, email: u.email } };
    })
    .catch((e) => {
      // Another account took the address between our check and the update.
      if (isDuplicateEmail(e)) throw new Conflict(TAKEN, { email: [TAKEN] });
      throw e;
    });
  if (done.previous) await sendEmailChangedNotice(done.previous, done.result.email);
  return done.result;
}
