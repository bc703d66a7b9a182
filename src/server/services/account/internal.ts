import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { emailTokens, users } from "../../db/schema";
import { env } from "../../env";
import { Forbidden } from "../../errors";
import { hashToken, randomToken } from "../../lib/crypto";
import { log } from "../../log";
import { esc, layout, sendMail } from "../../mail/mailer";

export const EMAIL_TOKEN_TTL_HOURS = 24;
export type EmailTokenPurpose = "verify" | "change";

/**
 * A new one-use link for `email`; earlier unused links of the same purpose stop working, so
 * only the newest mail counts. Returns the token (mailed, never stored).
 */
export async function issueEmailToken(tx: DbOrTx, userId: string, purpose: EmailTokenPurpose, email: string): Promise<string> {
  await tx
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  const token = randomToken(32);
  await tx.insert(emailTokens).values({ tokenHash: hashToken(token), userId, purpose, email, expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_HOURS * 3_600_000) });
  return token;
}

const button = (href: string, label: string) =>
  `<p><a href="${esc(href)}" style="display:inline-block;background:#3b5bdb;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">${esc(label)}</a></p>`;

/** Mails the confirmation link. Failures are logged, not thrown: the user can resend from Settings → Account. */
export async function sendConfirmationMail(to: { name: string; email: string }, token: string, purpose: EmailTokenPurpose): Promise<void> {
  const link = `${env().APP_URL}/confirm-email?token=${token}`;
  const why =
    purpose === "verify"
      ? "Confirm this address to turn on alert emails and invitations for your Perigee account."
      : "Confirm this address to make it the email of your Perigee account. Until you do, your account keeps its current address.";
  const note = `The link expires in ${EMAIL_TOKEN_TTL_HOURS} hours and works once. If you didn't ask for this, ignore this email.`;
  try {
    await sendMail({
      to: to.email,
      subject: purpose === "verify" ? "Confirm your email address for Perigee" : "Confirm your new Perigee email address",
      text: `Hi ${to.name},\n\n${why}\n\nConfirm:\n${link}\n\n${note}\n`,
      html: layout("Confirm your email address", `<p>Hi ${esc(to.name)},</p><p>${esc(why)}</p>${button(link, "Confirm this address")}<p style="color:#5b6475">${esc(note)}</p>`),
    });
  } catch (e) {
    log.error("confirmation email failed", { purpose, err: (e as Error).message });
  }
}

/** Tells the previous address that the account moved, with what to do if that wasn't the owner. */
export async function sendEmailChangedNotice(to: { name: string; email: string }, newEmail: string): Promise<void> {
  const text = `The email address of your Perigee account was changed to ${newEmail}. This address no longer receives password resets or account notices.`;
  const help = `If you didn't make this change, someone else knows your password: contact the operator of this Perigee install (${env().APP_URL}) at once so they can restore your address.`;
  try {
    await sendMail({
      to: to.email,
      subject: "Your Perigee email address was changed",
      text: `Hi ${to.name},\n\n${text}\n\n${help}\n`,
      html: layout("Your email address was changed", `<p>Hi ${esc(to.name)},</p><p>${esc(text)}</p><p style="color:#5b6475">${esc(help)}</p>`),
    });
  } catch (e) {
    log.error("email change notice failed", { err: (e as Error).message });
  }
}

/** Whether the user has proven their current address (by link, an invitation, or the operator). */
export async function isEmailConfirmed(tx: DbOrTx, userId: string): Promise<boolean> {
  const [u] = await tx.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return Boolean(u?.at);
}

export const CONFIRM_FIRST = "Confirm your email address before inviting anyone: open the link we emailed you at sign-up, or send a new one from Settings → Account.";

/** Invitations mail third parties in the inviter's name: only a proven address may send them. */
export async function assertEmailConfirmed(tx: DbOrTx, userId: string): Promise<void> {
  if (!(await isEmailConfirmed(tx, userId))) throw new Forbidden(CONFIRM_FIRST);
}
