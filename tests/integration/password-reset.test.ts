import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, passwordResetTokens } from "../../src/server/db/schema";
import { createSession, validateSession } from "../../src/server/auth/session";
import { Invalid, RateLimited, Unauthorized } from "../../src/server/errors";
import { requestPasswordReset } from "../../src/server/services/auth/request-password-reset";
import { resetPassword, RESET_LINK_INVALID } from "../../src/server/services/auth/reset-password";
import { signIn } from "../../src/server/services/auth/sign-in";
import { POST as requestRoute } from "../../src/app/api/auth/password-reset/route";
import { POST as confirmRoute } from "../../src/app/api/auth/password-reset/confirm/route";
import { TEST_PASSWORD, createUser, meta, uniqueEmail } from "../helpers/factories";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp({ rejectRecipient: (a) => a.startsWith("bounce-") });
  // Before the first env() call in this file: env() caches what it reads.
  process.env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

let n = 0;
// A fresh address per call, so only the limit under test can trip.
const ipMeta = () => ({ ...meta, ip: `198.18.${Math.floor(++n / 250)}.${n % 250}` });
const tokenFrom = (text: string) => /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
const NEW_PASSWORD = "my new long password";

async function mailedToken(email: string, not?: string): Promise<string> {
  const mail = await smtp.waitFor((m) => toOf(m).includes(email) && (!not || !m.text!.includes(not)));
  return tokenFrom(mail.text!);
}

function post(handler: (req: Request) => Promise<Response>, path: string, body: unknown) {
  return handler(
    new Request(`http://localhost:3000${path}`, {
      method: "POST",
      headers: { origin: "http://localhost:3000", host: "localhost:3000", "content-type": "application/json", "x-perigee-client-ip": ipMeta().ip },
      body: JSON.stringify(body),
    }),
  );
}

const auditActions = async (userId: string) => (await db().select().from(auditLog).where(eq(auditLog.actorUserId, userId))).map((a) => a.action);

describe("password reset by email", () => {
  it("mails a personal one-time link; the database keeps only its hash", async () => {
    const u = await createUser({ name: "Rosa Reset" });
    await requestPasswordReset({ input: { email: u.email.toUpperCase() }, meta: ipMeta() });
    const mail = await smtp.waitFor((m) => toOf(m).includes(u.email));
    expect(mail.subject).toBe("Reset your Perigee password");
    expect(toOf(mail)).toBe(u.email);
    expect(mail.text).toMatch(/Hi Rosa Reset/);
    expect(mail.text).toMatch(/expires in 60 minutes and works once/);
    expect(mail.text).toMatch(/If you didn't ask, ignore this email; your password is unchanged/);
    expect(mail.html).toContain("Hi Rosa Reset");
    expect(mail.html).toContain("Choose a new password");
    const token = tokenFrom(mail.text!);
    expect(mail.text).toContain(`http://localhost:3000/reset-password?token=${token}`);
    const rows = await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, u.id));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(rows[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    expect(await auditActions(u.id)).toContain("auth.password_reset_requested");
  });

  it("resets once, signs out every session, and the old password stops working", async () => {
    const u = await createUser();
    const s1 = await createSession(db(), u.id, null, meta);
    const s2 = await createSession(db(), u.id, null, meta);
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const token = await mailedToken(u.email);
    await resetPassword({ input: { token, password: NEW_PASSWORD }, meta });
    expect(await validateSession(s1.token)).toBeNull();
    expect(await validateSession(s2.token)).toBeNull();
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: ipMeta() })).rejects.toBeInstanceOf(Unauthorized);
    expect((await signIn({ input: { email: u.email, password: NEW_PASSWORD }, meta: ipMeta() })).status).toBe("signed_in");
    const again = await resetPassword({ input: { token, password: "yet another password" }, meta }).catch((e) => e);
    expect(again).toBeInstanceOf(Invalid);
    expect(again.message).toBe(RESET_LINK_INVALID);
    expect(await auditActions(u.id)).toContain("auth.password_reset");
  });

  it("works exactly once when the same link is used concurrently", async () => {
    const u = await createUser();
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const token = await mailedToken(u.email);
    const results = await Promise.allSettled(["first racing password", "second racing password", "third racing password"].map((password) => resetPassword({ input: { token, password }, meta })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(Invalid);
    expect((await auditActions(u.id)).filter((a) => a === "auth.password_reset")).toHaveLength(1);
  });

  it("refuses an expired link, and only the newest link works", async () => {
    const u = await createUser();
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const first = await mailedToken(u.email);
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    const second = await mailedToken(u.email, first);
    await expect(resetPassword({ input: { token: first, password: "another long password" }, meta })).rejects.toBeInstanceOf(Invalid);
    await db()
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResetTokens.userId, u.id));
    const e = await resetPassword({ input: { token: second, password: "another long password" }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(Invalid);
    expect(e.message).toBe(RESET_LINK_INVALID);
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: ipMeta() })).resolves.toMatchObject({ status: "signed_in" });
  });

  it("answers the same for an unknown email: no mail, no token row, no audit row", async () => {
    const email = uniqueEmail("ghost");
    const count = async () => ({
      tokens: (
        await db()
          .select({ c: sql<number>`count(*)::int` })
          .from(passwordResetTokens)
      )[0]!.c,
      audits: (
        await db()
          .select({ c: sql<number>`count(*)::int` })
          .from(auditLog)
          .where(eq(auditLog.action, "auth.password_reset_requested"))
      )[0]!.c,
    });
    const before = await count();
    await expect(requestPasswordReset({ input: { email }, meta: ipMeta() })).resolves.toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.some((m) => toOf(m).includes(email))).toBe(false);
    expect(await count()).toEqual(before);
  });

  it("gives the same HTTP answer whether or not the account exists", async () => {
    const u = await createUser();
    const known = await post(requestRoute, "/api/auth/password-reset", { email: u.email });
    const unknown = await post(requestRoute, "/api/auth/password-reset", { email: uniqueEmail("nobody") });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    const body = await known.json();
    expect(body).toEqual(await unknown.json());
    expect(body).toMatchObject({ ok: true, message: expect.stringMatching(/^If an account exists for that email, we sent a link/) });

    const token = await mailedToken(u.email);
    const bad = await post(confirmRoute, "/api/auth/password-reset/confirm", { token: "x".repeat(43), password: NEW_PASSWORD });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: "invalid_input", message: RESET_LINK_INVALID });
    const ok = await post(confirmRoute, "/api/auth/password-reset/confirm", { token, password: NEW_PASSWORD });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
  });

  it("a mail that cannot be delivered is not revealed to the requester", async () => {
    const u = await createUser({ email: uniqueEmail("bounce") });
    await expect(requestPasswordReset({ input: { email: u.email }, meta: ipMeta() })).resolves.toBeUndefined();
    // Give the refused delivery time to happen (and to surface as an unhandled rejection if it leaked).
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages.some((m) => toOf(m).includes(u.email))).toBe(false);
    expect(await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, u.id))).toHaveLength(1);
  });

  it("a reset lifts the sign-in lock on that account", async () => {
    const u = await createUser();
    for (let i = 0; i < 5; i++) await signIn({ input: { email: u.email, password: "wrong wrong wrong" }, meta: ipMeta() }).catch(() => undefined);
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: ipMeta() })).rejects.toBeInstanceOf(RateLimited);
    await requestPasswordReset({ input: { email: u.email }, meta: ipMeta() });
    await resetPassword({ input: { token: await mailedToken(u.email), password: NEW_PASSWORD }, meta });
    expect((await signIn({ input: { email: u.email, password: NEW_PASSWORD }, meta: ipMeta() })).status).toBe("signed_in");
  });

  it("throttles requests per account, whether or not it exists", async () => {
    for (const email of [(await createUser()).email, uniqueEmail("ghost")]) {
      for (let i = 0; i < 3; i++) await requestPasswordReset({ input: { email }, meta: ipMeta() });
      const e = await requestPasswordReset({ input: { email }, meta: ipMeta() }).catch((x) => x);
      expect(e).toBeInstanceOf(RateLimited);
      expect(e.message).toMatch(/Too many password reset requests for this email/);
      expect(e.retryAfterSeconds).toBeGreaterThan(0);
    }
  });

  it("throttles requests per IP at 10, leaving other IPs alone", async () => {
    const ip = { ...meta, ip: "198.19.0.1" };
    for (let i = 0; i < 10; i++) await requestPasswordReset({ input: { email: uniqueEmail("spray") }, meta: ip });
    const u = await createUser();
    const e = await requestPasswordReset({ input: { email: u.email }, meta: ip }).catch((x) => x);
    expect(e).toBeInstanceOf(RateLimited);
    expect(e.message).toMatch(/from your network/);
    await expect(requestPasswordReset({ input: { email: u.email }, meta: ipMeta() })).resolves.toBeUndefined();
    expect(await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, u.id))).toHaveLength(1);
  });
});
