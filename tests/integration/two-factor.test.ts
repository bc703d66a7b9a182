import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, recoveryCodes, users } from "../../src/server/db/schema";
import { createSession, validateSession } from "../../src/server/auth/session";
import { openTotpSecret } from "../../src/server/auth/totp";
import { decrypt, hashToken } from "../../src/server/lib/crypto";
import { Invalid, Unauthorized } from "../../src/server/errors";
import { signIn } from "../../src/server/services/auth/sign-in";
import { confirmTwoFactor } from "../../src/server/services/auth/confirm-two-factor";
import { disableTwoFactor } from "../../src/server/services/auth/disable-two-factor";
import { startTwoFactorEnrollment } from "../../src/server/services/auth/start-two-factor-enrollment";
import { completeTwoFactorSignIn, PENDING_GONE } from "../../src/server/services/auth/complete-two-factor-sign-in";
import { changePassword } from "../../src/server/services/auth/change-password";
import { TEST_PASSWORD, createUser, meta } from "../helpers/factories";

const step = () => Math.floor(Date.now() / 30_000);
// Codes for neighbouring steps: the server accepts ±1 step of drift, each step once.
const codeAt = (secret: string, s: number) => generate({ secret, epoch: s * 30 });

async function enrolled() {
  const u = await createUser();
  const a = await createSession(db(), u.id, null, meta);
  const other = await createSession(db(), u.id, null, meta);
  const { secret } = await startTwoFactorEnrollment({ userId: u.id });
  const r = await confirmTwoFactor({ userId: u.id, currentSessionIdHash: hashToken(a.token), input: { code: await codeAt(secret, step() - 1) }, meta });
  return { u, secret, codes: r.recoveryCodes, current: a.token, other: other.token };
}

const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}`;

describe("TOTP two-factor authentication", () => {
  it("enrols with a valid code, stores the secret encrypted and bound to the user, and issues 10 hashed recovery codes", async () => {
    const u = await createUser();
    const { secret, uri, qrDataUrl } = await startTwoFactorEnrollment({ userId: u.id });
    expect(uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const err = await confirmTwoFactor({ userId: u.id, input: { code: "123456" }, meta }).catch((e) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect(err.fields.code[0]).toMatch(/not valid/);

    const r = await confirmTwoFactor({ userId: u.id, input: { code: await codeAt(secret, step()) }, meta });
    expect(r.recoveryCodes).toHaveLength(10);
    const [row] = await db().select().from(users).where(eq(users.id, u.id));
    expect(row!.totpEnabledAt).not.toBeNull();
    expect(row!.totpSecretEnc).not.toContain(secret);
    expect(openTotpSecret(u.id, row!.totpSecretEnc!)).toBe(secret);
    expect(() => decrypt(row!.totpSecretEnc!, "user:someone-else:totp")).toThrow();
    const stored = await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, u.id));
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(r.recoveryCodes[0]!.replace("-", ""));
    expect((await db().select().from(auditLog).where(eq(auditLog.actorUserId, u.id))).map((a) => a.action)).toContain("auth.2fa_enabled");
  });

  it("signs out other sessions when 2FA is turned on, keeping the current one", async () => {
    const { current, other } = await enrolled();
    expect(await validateSession(current)).not.toBeNull();
    expect(await validateSession(other)).toBeNull();
  });

  it("requires a code at sign-in, accepts each code once, and refuses replay", async () => {
    const { u, secret } = await enrolled();
    const a = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } });
    expect(a.status).toBe("2fa_required");
    if (a.status !== "2fa_required") return;
    const code = await codeAt(secret, step());
    const ok = await completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code }, meta });
    expect(ok.status).toBe("signed_in");
    // The same pending sign-in is gone, and the same code on a new one is a replay.
    await expect(completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code }, meta })).rejects.toBeInstanceOf(Unauthorized);
    const b = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } });
    if (b.status !== "2fa_required") throw new Error("expected 2fa");
    const replay = await completeTwoFactorSignIn({ pendingToken: b.pendingToken, input: { code }, meta }).catch((e) => e);
    expect(replay).toBeInstanceOf(Invalid);
    // An older step than the last one used is refused too.
    const older = await completeTwoFactorSignIn({ pendingToken: b.pendingToken, input: { code: await codeAt(secret, step() - 1) }, meta }).catch((e) => e);
    expect(older).toBeInstanceOf(Invalid);
    const next = await completeTwoFactorSignIn({ pendingToken: b.pendingToken, input: { code: await codeAt(secret, step() + 1) }, meta });
    expect(next.status).toBe("signed_in");
  });

  it("accepts a recovery code exactly once", async () => {
    const { u, codes } = await enrolled();
    const a = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } });
    if (a.status !== "2fa_required") throw new Error("expected 2fa");
    expect((await completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code: codes[0]!.toUpperCase() }, meta })).status).toBe("signed_in");
    const b = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } });
    if (b.status !== "2fa_required") throw new Error("expected 2fa");
    await expect(completeTwoFactorSignIn({ pendingToken: b.pendingToken, input: { code: codes[0]! }, meta })).rejects.toBeInstanceOf(Invalid);
    expect((await completeTwoFactorSignIn({ pendingToken: b.pendingToken, input: { code: codes[1]! }, meta })).status).toBe("signed_in");
  });

  it("ends the pending sign-in after 5 wrong codes, even if the 6th is right", async () => {
    const { u, secret } = await enrolled();
    const a = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } });
    if (a.status !== "2fa_required") throw new Error("expected 2fa");
    for (let i = 0; i < 4; i++) {
      const e = await completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code: "000000" }, meta }).catch((x) => x);
      expect(e).toBeInstanceOf(Invalid);
      expect(e.message).toMatch(new RegExp(`${4 - i} attempts? left`));
    }
    const fifth = await completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code: "000000" }, meta }).catch((x) => x);
    expect(fifth).toBeInstanceOf(Unauthorized);
    expect(fifth.message).toBe(PENDING_GONE);
    const sixth = await completeTwoFactorSignIn({ pendingToken: a.pendingToken, input: { code: await codeAt(secret, step()) }, meta }).catch((x) => x);
    expect(sixth).toBeInstanceOf(Unauthorized);
    const failures = await db().select().from(auditLog).where(eq(auditLog.actorUserId, u.id));
    expect(failures.filter((f) => f.action === "auth.sign_in_2fa_failed")).toHaveLength(5);
  });

  it("turning 2FA off needs the password and a code, and signs out other sessions", async () => {
    const { u, secret, current } = await enrolled();
    const other = await createSession(db(), u.id, null, meta);
    const badPw = await disableTwoFactor({ userId: u.id, currentSessionIdHash: hashToken(current), input: { password: "wrong password!", code: await codeAt(secret, step()) }, meta }).catch((e) => e);
    expect(badPw.fields.password[0]).toMatch(/incorrect/);
    const badCode = await disableTwoFactor({ userId: u.id, currentSessionIdHash: hashToken(current), input: { password: TEST_PASSWORD, code: "111111" }, meta }).catch((e) => e);
    expect(badCode.fields.code[0]).toMatch(/not valid/);
    await disableTwoFactor({ userId: u.id, currentSessionIdHash: hashToken(current), input: { password: TEST_PASSWORD, code: await codeAt(secret, step() + 1) }, meta });
    const [row] = await db().select().from(users).where(eq(users.id, u.id));
    expect(row!.totpEnabledAt).toBeNull();
    expect(row!.totpSecretEnc).toBeNull();
    expect(await validateSession(other.token)).toBeNull();
    expect(await validateSession(current)).not.toBeNull();
    expect((await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } })).status).toBe("signed_in");
  });
});

describe("change password", () => {
  it("checks the current password, refuses > 72 bytes, signs out other sessions", async () => {
    const u = await createUser();
    const a = await createSession(db(), u.id, null, meta);
    const b = await createSession(db(), u.id, null, meta);
    const wrong = await changePassword({ userId: u.id, input: { currentPassword: "nope nope nope", newPassword: "a brand new passphrase" }, meta }).catch((e) => e);
    expect(wrong.fields.currentPassword[0]).toMatch(/incorrect/);
    const long = await changePassword({ userId: u.id, input: { currentPassword: TEST_PASSWORD, newPassword: "x".repeat(73) }, meta }).catch((e) => e);
    expect(long.fields.newPassword[0]).toMatch(/72 bytes/);
    await changePassword({ userId: u.id, currentSessionIdHash: hashToken(a.token), input: { currentPassword: TEST_PASSWORD, newPassword: "a brand new passphrase" }, meta });
    expect(await validateSession(a.token)).not.toBeNull();
    expect(await validateSession(b.token)).toBeNull();
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } })).rejects.toBeInstanceOf(Unauthorized);
    expect((await signIn({ input: { email: u.email, password: "a brand new passphrase" }, meta: { ...meta, ip: ip() } })).status).toBe("signed_in");
  });
});
