import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { passwordResetTokens } from "../../src/server/db/schema";
import { createSession, validateSession } from "../../src/server/auth/session";
import { Invalid, RateLimited, Unauthorized } from "../../src/server/errors";
import { requestPasswordReset } from "../../src/server/services/auth/request-password-reset";
import { resetPassword, RESET_LINK_INVALID } from "../../src/server/services/auth/reset-password";
import { signIn } from "../../src/server/services/auth/sign-in";
import { TEST_PASSWORD, createUser, meta, uniqueEmail } from "../helpers/factories";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

const ipMeta = () => ({ ...meta, ip: `192.0.2.${Math.floor(Math.random() * 250)}` });
const tokenFrom = (text: string) => /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;

describe("password reset by email", () => {
  it("mails a personal one-time link; the database keeps only its hash", async () => {
    const u = await createUser({ name: "Rosa Reset" });
    await requestPasswordReset({ input: { email: u.email.toUpperCase() }, meta: ipMeta() });
    const mail = await smtp.waitFor((m) => toOf(m).includes(u.email));
    expect(mail.subject).toBe("Reset your Perigee password");
    expect(mail.text).toMatch(/Hi Rosa Reset/);
    expect(mail.text).toMatch(/expires in 60 minutes and works once/);
    expect(mail.text).toMatch(/If you didn't ask, ignore this email/);
    expect(mail.html).toContain("Choose a new password");
    const token = tokenFrom(mail.text!);
    const rows = await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, u.id));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("resets once, signs out every session, and the old password stops working", async () => {
    const u = await createUser();
    const s1 = await createSession(db(), u.id, null, meta);
    const s2 = await createSession(db(), u.id, null, meta);
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const token = tokenFrom((await smtp.waitFor((m) => toOf(m).includes(u.email))).text!);
    await resetPassword({ input: { token, password: "my new long password" }, meta });
    expect(await validateSession(s1.token)).toBeNull();
    expect(await validateSession(s2.token)).toBeNull();
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: ipMeta() })).rejects.toBeInstanceOf(Unauthorized);
    expect((await signIn({ input: { email: u.email, password: "my new long password" }, meta: ipMeta() })).status).toBe("signed_in");
    const again = await resetPassword({ input: { token, password: "yet another password" }, meta }).catch((e) => e);
    expect(again).toBeInstanceOf(Invalid);
    expect(again.message).toBe(RESET_LINK_INVALID);
  });

  it("refuses an expired link, and only the newest link works", async () => {
    const u = await createUser();
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const first = tokenFrom((await smtp.waitFor((m) => toOf(m).includes(u.email))).text!);
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const second = tokenFrom((await smtp.waitFor((m) => toOf(m).includes(u.email) && !m.text!.includes(first))).text!);
    await expect(resetPassword({ input: { token: first, password: "another long password" }, meta })).rejects.toBeInstanceOf(Invalid);
    await db().update(passwordResetTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResetTokens.userId, u.id));
    await expect(resetPassword({ input: { token: second, password: "another long password" }, meta })).rejects.toBeInstanceOf(Invalid);
  });

  it("answers the same for an unknown email and sends nothing", async () => {
    const email = uniqueEmail("ghost");
    await expect(requestPasswordReset({ input: { email }, meta: ipMeta() })).resolves.toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.some((m) => toOf(m).includes(email))).toBe(false);
  });

  it("throttles requests per account", async () => {
    const u = await createUser();
    for (let i = 0; i < 3; i++) await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const e = await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() }).catch((x) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
  });
});
