import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, memberships, organizations, sessions, users } from "../../src/server/db/schema";
import { Conflict, Invalid } from "../../src/server/errors";
import { signUp } from "../../src/server/services/auth/sign-up";
import { meta, uniqueEmail } from "../helpers/factories";

const valid = () => ({ name: "Grace Hopper", email: uniqueEmail("grace"), password: "a long enough password", organizationName: `Hopper Labs ${Math.random().toString(36).slice(2, 8)}` });

describe("signUp", () => {
  it("creates user, organization, ADMIN membership, audit row and session together", async () => {
    const input = valid();
    const r = await signUp({ input, meta });
    const [m] = await db().select().from(memberships).where(eq(memberships.userId, r.user.id));
    expect(m?.role).toBe("ADMIN");
    expect(m?.organizationId).toBe(r.organization.id);
    expect(r.organization.slug).toMatch(/^hopper-labs-[a-z0-9]+-[0-9a-f]{6}$/);
    const [u] = await db().select().from(users).where(eq(users.id, r.user.id));
    expect(u?.passwordHash).toMatch(/^\$2b\$12\$/);
    const audits = await db().select().from(auditLog).where(eq(auditLog.actorUserId, r.user.id));
    expect(audits.map((a) => a.action)).toContain("account.sign_up");
    const s = await db().select().from(sessions).where(eq(sessions.userId, r.user.id));
    expect(s).toHaveLength(1);
    expect(s[0]?.idHash).not.toBe(r.session.token);
  });

  it("refuses a duplicate email (any case) and leaves no orphan organization", async () => {
    const input = valid();
    await signUp({ input, meta });
    const orgName = `Dup Org ${Date.now()}`;
    const err = await signUp({ input: { ...input, email: input.email.toUpperCase(), organizationName: orgName }, meta }).catch((e) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect(err.fields.email[0]).toMatch(/already exists/);
    const orphans = await db().select().from(organizations).where(eq(organizations.name, orgName));
    expect(orphans).toHaveLength(0);
  });

  it("gives field-level messages for bad input", async () => {
    const err = await signUp({ input: { name: "", email: "nope", password: "short", organizationName: "x" }, meta }).catch((e) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect(Object.keys(err.fields).sort()).toEqual(["email", "name", "organizationName", "password"]);
  });

  it("refuses passwords over 72 bytes instead of truncating them", async () => {
    const err = await signUp({ input: { ...valid(), password: "é".repeat(37) }, meta }).catch((e) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect(err.fields.password[0]).toMatch(/at most 72 bytes/);
  });

  it("rolls back everything when a later step fails", async () => {
    const input = { ...valid(), name: "__fail_membership__" };
    // A trigger that fails the membership insert for this one name, mid-transaction.
    await db().execute(sql`create or replace function perigee_fail_membership() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from users where id = new.user_id and name = '__fail_membership__') then raise exception 'injected failure'; end if;
        return new;
      end $$`);
    await db().execute(sql`create or replace trigger perigee_fail before insert on memberships for each row execute function perigee_fail_membership()`);
    try {
      const err = await signUp({ input, meta }).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
    } finally {
      await db().execute(sql`drop trigger if exists perigee_fail on memberships`);
    }
    expect(
      await db()
        .select()
        .from(users)
        .where(eq(sql`lower(${users.email})`, input.email)),
    ).toHaveLength(0);
    expect(await db().select().from(organizations).where(eq(organizations.name, input.organizationName))).toHaveLength(0);
  });
});
