import { and, eq, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { passwordResetTokens, users, type User } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { env } from "../../env";
import { RESET_PER_ACCOUNT, RESET_PER_IP, assertNotThrottled, hit, throttleKeys } from "../../auth/throttle";
import { hashToken, randomToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { log } from "../../log";
import { esc, layout, sendMail } from "../../mail/mailer";
import { requestResetSchema } from "../../validation/auth";
import { recordAudit } from "../audit/record";

export const RESET_TTL_MINUTES = 60;

// Matches no user: lets an unknown email run the same statements as a known one.
const NO_USER = "00000000-0000-0000-0000-000000000000";

/**
 * Emails a one-time reset link when the account exists. The caller always gets the same
 * answer, in about the same time, so the form cannot tell who has an account.
 */
export async function requestPasswordReset({ input, meta }: { input: unknown; meta: RequestMeta }): Promise<void> {
  const { email } = parseInput(requestResetSchema, input);
  const acct = throttleKeys.resetAccount(email);
  const ipKey = throttleKeys.resetIp(meta.ip ?? "unknown");
  await assertNotThrottled([
    { key: acct, window: RESET_PER_ACCOUNT, what: "password reset requests for this email" },
    { key: ipKey, window: RESET_PER_IP, what: "password reset requests from your network" },
  ]);
  await Promise.all([hit(acct, RESET_PER_ACCOUNT), hit(ipKey, RESET_PER_IP)]);

  const [user] = await db()
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email))
    .limit(1);
  const token = randomToken(32);
  const tokenHash = hashToken(token);

  await db().transaction(async (tx) => {
    // Only the newest link works; for an unknown email this matches nothing.
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(passwordResetTokens.userId, user?.id ?? NO_USER), isNull(passwordResetTokens.usedAt)));
    if (!user) return;
    await tx.insert(passwordResetTokens).values({ tokenHash, userId: user.id, expiresAt: new Date(Date.now() + RESET_TTL_MINUTES * 60_000) });
    await recordAudit(tx, { organizationId: null, actorUserId: user.id, action: "auth.password_reset_requested", meta });
  });

  // Sent off the request path: waiting for the SMTP round trip would reveal that the
  // account exists, and a mail failure is not the requester's to see.
  if (user) void sendResetMail(user, token);
}

async function sendResetMail(user: User, token: string): Promise<void> {
  const link = `${env().APP_URL}/reset-password?token=${token}`;
  const note = `The link expires in ${RESET_TTL_MINUTES} minutes and works once. If you didn't ask, ignore this email; your password is unchanged.`;
  try {
    await sendMail({
      to: user.email,
      subject: "Reset your Perigee password",
      text: `Hi ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Perigee account.\n\nChoose a new password:\n${link}\n\n${note}\n`,
      html: layout(
        "Reset your password",
        `<p>Hi ${esc(user.name)},</p><p>Someone (hopefully you) asked to reset the password of your Perigee account.</p>
<p><a href="${esc(link)}" style="display:inline-block;background:#3b5bdb;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">Choose a new password</a></p>
<p style="color:#5b6475">${esc(note)}</p>`,
      ),
    });
  } catch (e) {
    log.error("password reset email failed", { userId: user.id, err: (e as Error).message });
  }
}
