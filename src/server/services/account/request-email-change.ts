import { and, eq, ne, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Invalid, NotFound, Unauthorized } from "../../errors";
import { verifyPassword } from "../../auth/password";
import { CONFIRM_MAIL_PER_ACCOUNT, take, throttleKeys } from "../../auth/throttle";
import { parseInput } from "../../lib/parse";
import { emailChangeSchema } from "../../validation/account";
import { recordAudit } from "../audit/record";
import { EMAIL_TOKEN_TTL_HOURS, issueEmailToken, sendConfirmationMail } from "./internal";

/** Same words whether or not the address is free, so the form cannot be used to find accounts. */
export const emailChangeSentMessage = (email: string) =>
  `If ${email} is not used by another Perigee account, we sent a confirmation link to it (valid ${EMAIL_TOKEN_TTL_HOURS} hours). Your address changes when you open it; until then you keep using the current one.`;

/**
 * Starts an email change: re-checks the password (the address receives password resets, so a
 * stolen or unattended session must not be able to move it), then mails a one-use link to the
 * new address. Nothing changes until that link is opened (confirmEmail).
 */
export async function requestEmailChange({ userId, input, meta }: { userId: string; input: unknown; meta: RequestMeta }): Promise<{ message: string }> {
  const { email, password } = parseInput(emailChangeSchema, input);
  // Counts every try: it also bounds password guessing from a borrowed session.
  await take([{ key: throttleKeys.confirmMail(userId), window: CONFIRM_MAIL_PER_ACCOUNT, what: "email change requests" }]);
  const [u] = await db().select().from(users).where(eq(users.id, userId));
  if (!u) throw new NotFound("Account not found.");
  if (!(await verifyPassword(password, u.passwordHash))) throw new Unauthorized("Current password is incorrect.", { password: ["Current password is incorrect."] });
  if (u.email.toLowerCase() === email) throw new Invalid("That is already your address.", { email: ["That is already your address."] });

  const [taken] = await db()
    .select({ id: users.id })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email), ne(users.id, userId)))
    .limit(1);
  const token = await db().transaction(async (tx) => {
    await recordAudit(tx, { organizationId: null, actorUserId: userId, action: "auth.email_change_requested", meta });
    // A taken address gets no mail: its owner did not ask, and the answer stays the same.
    return taken ? null : issueEmailToken(tx, userId, "change", email);
  });
  // Off the request path, so the answer takes as long whether or not a mail goes out.
  if (token) void sendConfirmationMail({ name: u.name, email }, token, "change");
  return { message: emailChangeSentMessage(email) };
}
