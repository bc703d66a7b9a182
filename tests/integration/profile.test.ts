import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, emailTokens, passwordResetTokens, users } from "../../src/server/db/schema";
import { createSession, validateSession } from "../../src/server/auth/session";
import { Conflict, Invalid, Unauthorized } from "../../src/server/errors";
import { hashToken } from "../../src/server/lib/crypto";
import { confirmEmail, EMAIL_LINK_INVALID } from "../../src/server/services/account/confirm-email";
import { emailChangeSentMessage, requestEmailChange } from "../../src/server/services/account/request-email-change";
import { updateProfile } from "../../src/server/services/account/update-profile";
import { TEST_PASSWORD, createUser, meta, uniqueEmail } from "../helpers/factories";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp();
  // Before the first env() call in this file: env() caches what it reads.
  process.env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

const tokenFrom = (text: string) => /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
const auditActions = async (userId: string) => (await db().select().from(auditLog).where(eq(auditLog.actorUserId, userId))).map((a) => a.action);
const userRow = async (id: string) => (await db().select().from(users).where(eq(users.id, id)))[0]!;

async function linkFor(email: string): Promise<string> {
  return tokenFrom((await smtp.waitFor((m) => toOf(m).includes(email) && /confirm-email/.test(m.text ?? ""))).text!);
}

describe("profile: name", () => {
  it("renames the user, audited; a blank name is refused with a field message", async () => {
    const u = await createUser({ name: "Old Name" });
    await updateProfile({ userId: u.id, input: { name: "  Ada Lovelace " }, meta });
    expect((await userRow(u.id)).name).toBe("Ada Lovelace");
    expect(await auditActions(u.id)).toContain("auth.profile_updated");
    const e = await updateProfile({ userId: u.id, input: { name: " " }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(Invalid);
    expect(e.fields.name[0]).toMatch(/Name is required/);
  });
});

describe("profile: email change", () => {
  it("takes effect only through the link; the old address is told; sessions stay; audited", async () => {
    const u = await createUser({ name: "Mover" });
    const session = await createSession(db(), u.id, null, meta);
    const next = uniqueEmail("moved");
    const r = await requestEmailChange({ userId: u.id, input: { email: next.toUpperCase(), password: TEST_PASSWORD }, meta });
    expect(r.message).toBe(emailChangeSentMessage(next));

    const mail = await smtp.waitFor((m) => toOf(m).includes(next));
    expect(mail.subject).toBe("Confirm your new Perigee email address");
    expect(mail.text).toMatch(/expires in 24 hours and works once/);
    const token = tokenFrom(mail.text!);
    // Only the HMAC is stored, and nothing changed yet.
    const [stored] = await db().select().from(emailTokens).where(eq(emailTokens.userId, u.id));
    expect(stored).toMatchObject({ tokenHash: hashToken(token), purpose: "change", email: next, usedAt: null });
    expect(stored!.tokenHash).not.toContain(token);
    expect((await userRow(u.id)).email).toBe(u.email);

    expect(await confirmEmail({ input: { token }, meta })).toEqual({ purpose: "change", email: next });
    const after = await userRow(u.id);
    expect(after.email).toBe(next);
    expect(after.emailVerifiedAt).not.toBeNull();
    const notice = await smtp.waitFor((m) => toOf(m).includes(u.email) && m.subject === "Your Perigee email address was changed");
    expect(notice.text).toContain(`changed to ${next}`);
    expect((await validateSession(session.token))?.user.email).toBe(next);
    expect(await auditActions(u.id)).toEqual(expect.arrayContaining(["auth.email_change_requested", "auth.email_changed"]));

    // Used once.
    const again = await confirmEmail({ input: { token }, meta }).catch((x) => x);
    expect(again).toBeInstanceOf(Invalid);
    expect(again.message).toBe(EMAIL_LINK_INVALID);
  });

  it("needs the current password", async () => {
    const u = await createUser();
    const e = await requestEmailChange({ userId: u.id, input: { email: uniqueEmail(), password: "not my password" }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(Unauthorized);
    expect(e.fields.password[0]).toMatch(/Current password is incorrect/);
    expect(await db().select().from(emailTokens).where(eq(emailTokens.userId, u.id))).toHaveLength(0);
  });

  it("refuses an expired link, and only the newest link works", async () => {
    const u = await createUser();
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await requestEmailChange({ userId: u.id, input: { email: first, password: TEST_PASSWORD }, meta });
    const t1 = await linkFor(first);
    await requestEmailChange({ userId: u.id, input: { email: second, password: TEST_PASSWORD }, meta });
    const t2 = await linkFor(second);
    await expect(confirmEmail({ input: { token: t1 }, meta })).rejects.toBeInstanceOf(Invalid);

    await db()
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailTokens.tokenHash, hashToken(t2)));
    const e = await confirmEmail({ input: { token: t2 }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(Invalid);
    expect(e.message).toMatch(/expired or was already used/);
    expect((await userRow(u.id)).email).toBe(u.email);
  });

  it("an address used by another account: the same answer, no mail, and a link can never take it", async () => {
    const u = await createUser();
    const other = await createUser();
    const r = await requestEmailChange({ userId: u.id, input: { email: other.email, password: TEST_PASSWORD }, meta });
    expect(r.message).toBe(emailChangeSentMessage(other.email));
    expect(await db().select().from(emailTokens).where(eq(emailTokens.userId, u.id))).toHaveLength(0);

    // Free when asked, taken before the link is opened.
    const later = uniqueEmail("race");
    await requestEmailChange({ userId: u.id, input: { email: later, password: TEST_PASSWORD }, meta });
    const token = await linkFor(later);
    await createUser({ email: later.toUpperCase() });
    const e = await confirmEmail({ input: { token }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect(e.message).toMatch(/used by another Perigee account/);
    expect((await userRow(u.id)).email).toBe(u.email);
    // No mail reached the taken address.
    expect(smtp.messages.filter((m) => toOf(m).includes(other.email))).toHaveLength(0);
  });

  it("refuses the current address; a change ends reset links mailed to the old address", async () => {
    const u = await createUser();
    await expect(requestEmailChange({ userId: u.id, input: { email: u.email, password: TEST_PASSWORD }, meta })).rejects.toThrow(/already your address/);
    await db()
      .insert(passwordResetTokens)
      .values({ tokenHash: hashToken(`reset-${u.id}`), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
    const next = uniqueEmail("reset");
    await requestEmailChange({ userId: u.id, input: { email: next, password: TEST_PASSWORD }, meta });
    await confirmEmail({ input: { token: await linkFor(next) }, meta });
    const [reset] = await db().select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, u.id));
    expect(reset!.usedAt).not.toBeNull();
  });
});
