import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { Invalid, NotFound } from "../../errors";
import { CONFIRM_MAIL_PER_ACCOUNT, take, throttleKeys } from "../../auth/throttle";
import { recordAudit } from "../audit/record";
import { issueEmailToken, sendConfirmationMail } from "./internal";

/** Mails a fresh link proving the current address; the previous link stops working. */
export async function resendConfirmation({ userId, meta }: { userId: string; meta: RequestMeta }): Promise<{ email: string }> {
  await take([{ key: throttleKeys.confirmMail(userId), window: CONFIRM_MAIL_PER_ACCOUNT, what: "confirmation emails" }]);
  const [u] = await db().select().from(users).where(eq(users.id, userId));
  if (!u) throw new NotFound("Account not found.");
  if (u.emailVerifiedAt) throw new Invalid("Your email address is already confirmed.");
  const token = await db().transaction(async (tx) => {
    await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.email_confirmation_sent", meta });
    return issueEmailToken(tx, u.id, "verify", u.email);
  });
  await sendConfirmationMail(u, token, "verify");
  return { email: u.email };
}
