import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { sessions } from "../../src/server/db/schema";
import { createSession, revokeUserSessions, validateSession, SESSION_TTL_MS } from "../../src/server/auth/session";
import { hashToken } from "../../src/server/lib/crypto";
import { switchOrganization } from "../../src/server/services/organizations/switch";
import { signIn, BAD_CREDENTIALS } from "../../src/server/services/auth/sign-in";
import { signOut } from "../../src/server/services/auth/sign-out";
import { NotFound, Unauthorized } from "../../src/server/errors";
import { TEST_PASSWORD, addMember, createOrg, createTenant, createUser, meta } from "../helpers/factories";

describe("sessions", () => {
  it("stores only a keyed hash of the token and expires in 30 days", async () => {
    const u = await createUser();
    const { token, expiresAt } = await createSession(db(), u.id, null, meta);
    const rows = await db().select().from(sessions).where(eq(sessions.userId, u.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.idHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(Math.abs(expiresAt.getTime() - (Date.now() + SESSION_TTL_MS))).toBeLessThan(5000);
  });

  it("resolves the user, their organizations and the active one", async () => {
    const t = await createTenant();
    const other = await createOrg("Second");
    await addMember(other.id, t.viewer.id, "EDITOR");
    const { token } = await createSession(db(), t.viewer.id, other.id, meta);
    const s = await validateSession(token);
    expect(s?.user.id).toBe(t.viewer.id);
    expect(s?.orgs.map((o) => o.id).sort()).toEqual([t.org.id, other.id].sort());
    expect(s?.activeOrg).toMatchObject({ id: other.id, role: "EDITOR" });
  });

  it("refuses unknown, garbage and expired tokens", async () => {
    const u = await createUser();
    expect(await validateSession("nope")).toBeNull();
    expect(await validateSession("x".repeat(500))).toBeNull();
    expect(await validateSession(undefined)).toBeNull();
    const { token } = await createSession(db(), u.id, null, meta);
    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.idHash, hashToken(token)));
    expect(await validateSession(token)).toBeNull();
  });

  it("falls back from an active organization the user no longer belongs to", async () => {
    const t = await createTenant();
    const foreign = await createOrg("Foreign");
    const { token } = await createSession(db(), t.editor.id, foreign.id, meta);
    const s = await validateSession(token);
    expect(s?.activeOrg?.id).toBe(t.org.id);
  });

  it("revokes all of a user's sessions, or all but the current one", async () => {
    const u = await createUser();
    const a = await createSession(db(), u.id, null, meta);
    const b = await createSession(db(), u.id, null, meta);
    await revokeUserSessions(db(), u.id, hashToken(a.token));
    expect(await validateSession(a.token)).not.toBeNull();
    expect(await validateSession(b.token)).toBeNull();
    await revokeUserSessions(db(), u.id);
    expect(await validateSession(a.token)).toBeNull();
  });

  it("switches only to organizations the user belongs to; another tenant is 404", async () => {
    const t = await createTenant();
    const mine = await createOrg("Mine too");
    await addMember(mine.id, t.admin.id, "VIEWER");
    const foreign = await createOrg("Not mine");
    const { token } = await createSession(db(), t.admin.id, t.org.id, meta);
    await switchOrganization({ userId: t.admin.id, sessionToken: token, organizationId: mine.id });
    expect((await validateSession(token))?.activeOrg?.id).toBe(mine.id);
    await expect(switchOrganization({ userId: t.admin.id, sessionToken: token, organizationId: foreign.id })).rejects.toBeInstanceOf(NotFound);
    await expect(switchOrganization({ userId: t.admin.id, sessionToken: token, organizationId: "not-a-uuid" })).rejects.toBeInstanceOf(NotFound);
    expect((await validateSession(token))?.activeOrg?.id).toBe(mine.id);
  });

  it("signs in with the right password, and answers the same for a wrong password and an unknown email", async () => {
    const u = await createUser();
    const ok = await signIn({ input: { email: u.email.toUpperCase(), password: TEST_PASSWORD }, meta: { ...meta, ip: "198.51.100.1" } });
    expect(ok.status).toBe("signed_in");
    const wrong = await signIn({ input: { email: u.email, password: "not the password" }, meta: { ...meta, ip: "198.51.100.2" } }).catch((e) => e);
    const unknown = await signIn({ input: { email: "nobody-" + u.email, password: "whatever pass" }, meta: { ...meta, ip: "198.51.100.3" } }).catch((e) => e);
    expect(wrong).toBeInstanceOf(Unauthorized);
    expect(unknown).toBeInstanceOf(Unauthorized);
    expect(wrong.message).toBe(BAD_CREDENTIALS);
    expect(unknown.message).toBe(BAD_CREDENTIALS);
  });

  it("sign-out deletes the session", async () => {
    const u = await createUser();
    const { token } = await createSession(db(), u.id, null, meta);
    await signOut({ token, meta });
    expect(await validateSession(token)).toBeNull();
  });
});
