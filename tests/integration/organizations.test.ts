import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, invitations, memberships, organizations, users } from "../../src/server/db/schema";
import { createSession, validateSession } from "../../src/server/auth/session";
import { Conflict, Forbidden, Invalid, NotFound } from "../../src/server/errors";
import type { Ctx } from "../../src/server/context";
import { inviteMember } from "../../src/server/services/organizations/invite-member";
import { revokeInvitation } from "../../src/server/services/organizations/revoke-invitation";
import { changeRole, LAST_ADMIN } from "../../src/server/services/organizations/change-role";
import { removeMember } from "../../src/server/services/organizations/remove-member";
import { leaveOrganization } from "../../src/server/services/organizations/leave-organization";
import { listMembers } from "../../src/server/services/organizations/list-members";
import { createOrganization } from "../../src/server/services/organizations/create-organization";
import { acceptInvitation } from "../../src/server/services/organizations/accept-invitation";
import { acceptInvitationAsNewUser } from "../../src/server/services/organizations/accept-invitation-as-new-user";
import { getInvitationByToken } from "../../src/server/services/organizations/get-invitation-by-token";
import { listAuditLog } from "../../src/server/services/audit/list-audit-log";
import { listOrganizations } from "../../src/server/services/admin/list-organizations";
import { listUsers } from "../../src/server/services/admin/list-users";
import { createTenant, createUser, meta, uniqueEmail } from "../helpers/factories";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url; // before env() is first read in this file's worker
});
afterAll(() => smtp.close());

type Tenant = Awaited<ReturnType<typeof createTenant>>;

/**
 * The role × action matrix: each verb, each role, allowed or Forbidden; and the same verb
 * aimed at another tenant's ids is NotFound. A new verb is one more row.
 */
const verbs: { name: string; allowed: ("ADMIN" | "EDITOR" | "VIEWER")[]; run: (ctx: Ctx, t: Tenant) => Promise<unknown> }[] = [
  { name: "list members", allowed: ["ADMIN", "EDITOR", "VIEWER"], run: (ctx) => listMembers({ ctx }) },
  { name: "invite", allowed: ["ADMIN"], run: (ctx) => inviteMember({ ctx, input: { email: uniqueEmail("inv"), role: "VIEWER" } }) },
  {
    name: "revoke invitation",
    allowed: ["ADMIN"],
    run: async (ctx, t) => {
      const { invitation } = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: uniqueEmail("rev"), role: "VIEWER" } });
      return revokeInvitation({ ctx, invitationId: invitation.id });
    },
  },
  {
    name: "change role",
    allowed: ["ADMIN"],
    run: async (ctx, t) => {
      const u = await createUser();
      await db().insert(memberships).values({ organizationId: t.org.id, userId: u.id, role: "VIEWER" });
      return changeRole({ ctx, input: { userId: u.id, role: "EDITOR" } });
    },
  },
  {
    name: "remove member",
    allowed: ["ADMIN"],
    run: async (ctx, t) => {
      const u = await createUser();
      await db().insert(memberships).values({ organizationId: t.org.id, userId: u.id, role: "VIEWER" });
      return removeMember({ ctx, userId: u.id });
    },
  },
  { name: "read audit log", allowed: ["ADMIN"], run: (ctx) => listAuditLog({ ctx }) },
];

describe("role × action matrix", () => {
  for (const v of verbs) {
    for (const role of ["ADMIN", "EDITOR", "VIEWER"] as const) {
      it(`${role} ${v.allowed.includes(role) ? "may" : "may not"} ${v.name}`, async () => {
        const t = await createTenant();
        const p = v.run(t.ctx[role], t);
        if (v.allowed.includes(role)) await expect(p).resolves.not.toThrow();
        else await expect(p).rejects.toBeInstanceOf(Forbidden);
      });
    }
  }

  it("another tenant's member and invitation ids are 404 for an ADMIN of a different organization", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const { invitation } = await inviteMember({ ctx: a.ctx.ADMIN, input: { email: uniqueEmail("x"), role: "VIEWER" } });
    await expect(revokeInvitation({ ctx: b.ctx.ADMIN, invitationId: invitation.id })).rejects.toBeInstanceOf(NotFound);
    await expect(changeRole({ ctx: b.ctx.ADMIN, input: { userId: a.viewer.id, role: "ADMIN" } })).rejects.toBeInstanceOf(NotFound);
    await expect(removeMember({ ctx: b.ctx.ADMIN, userId: a.viewer.id })).rejects.toBeInstanceOf(NotFound);
    const members = await listMembers({ ctx: b.ctx.ADMIN });
    expect(members.members.map((m) => m.userId)).not.toContain(a.viewer.id);
    const audit = await listAuditLog({ ctx: b.ctx.ADMIN });
    expect(audit.data.every((r) => r.entry.organizationId === b.org.id || r.entry.organizationId === null)).toBe(true);
    // Unchanged in A.
    const [still] = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.organizationId, a.org.id), eq(memberships.userId, a.viewer.id)));
    expect(still?.role).toBe("VIEWER");
  });
});

describe("invitations", () => {
  it("mails a link whose token works once, for the invited email only", async () => {
    const t = await createTenant("Acme Mail");
    const email = uniqueEmail("new");
    await inviteMember({ ctx: t.ctx.ADMIN, input: { email, role: "EDITOR" } });
    const mail = await smtp.waitFor((m) => toOf(m).includes(email));
    expect(mail.subject).toBe(`Ada Admin invited you to Acme Mail on Perigee`);
    expect(mail.text).toMatch(/as EDITOR/);
    expect(mail.text).toMatch(/expires in 7 days/);
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text ?? "")![1]!;
    const [row] = await db().select().from(invitations).where(eq(invitations.email, email));
    expect(row!.tokenHash).not.toBe(token);
    expect(JSON.stringify(row)).not.toContain(token);

    const info = await getInvitationByToken({ token });
    expect(info).toMatchObject({ organizationName: "Acme Mail", role: "EDITOR", state: "valid", accountExists: false });

    const r = await acceptInvitationAsNewUser({ token, input: { name: "New Person", password: "a long password here" }, meta });
    expect(r.organizationId).toBe(t.org.id);
    const [m] = await db().select().from(memberships).where(eq(memberships.userId, r.user.id));
    expect(m!.role).toBe("EDITOR");
    // Exactly one membership, no organization of their own.
    expect(await db().select().from(memberships).where(eq(memberships.userId, r.user.id))).toHaveLength(1);
    await expect(acceptInvitationAsNewUser({ token, input: { name: "Again", password: "a long password here" }, meta })).rejects.toBeInstanceOf(Invalid);
    expect((await getInvitationByToken({ token })).state).toBe("used");
  });

  it("refuses expired invitations and the wrong signed-in account; accepts the right one", async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const { token } = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: invitee.email.toUpperCase(), role: "VIEWER" } });
    const stranger = await createUser();
    await expect(acceptInvitation({ token, userId: stranger.id, meta })).rejects.toBeInstanceOf(Forbidden);
    // The failed attempt rolled back: the invitation is still usable by the right person.
    await acceptInvitation({ token, userId: invitee.id, meta });
    const [m] = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, invitee.id), eq(memberships.organizationId, t.org.id)));
    expect(m!.role).toBe("VIEWER");

    const late = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: uniqueEmail("late"), role: "VIEWER" } });
    await db()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitations.id, late.invitation.id));
    const e = await acceptInvitationAsNewUser({ token: late.token, input: { name: "Late", password: "a long password here" }, meta }).catch((x) => x);
    expect(e).toBeInstanceOf(Invalid);
    expect(e.message).toMatch(/expired/);
  });

  it("refuses a duplicate pending invitation and inviting an existing member", async () => {
    const t = await createTenant();
    const email = uniqueEmail("dup");
    await inviteMember({ ctx: t.ctx.ADMIN, input: { email, role: "VIEWER" } });
    const dup = await inviteMember({ ctx: t.ctx.ADMIN, input: { email, role: "EDITOR" } }).catch((e) => e);
    expect(dup).toBeInstanceOf(Conflict);
    expect(dup.fields.email[0]).toMatch(/pending invitation/);
    const member = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: t.editor.email, role: "VIEWER" } }).catch((e) => e);
    expect(member.fields.email[0]).toMatch(/already a member/);
    const bad = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: "nope", role: "OWNER" } }).catch((e) => e);
    expect(Object.keys(bad.fields).sort()).toEqual(["email", "role"]);
  });
});

describe("members and the last ADMIN", () => {
  it("the last ADMIN cannot leave, be demoted or be removed", async () => {
    const t = await createTenant();
    await expect(leaveOrganization({ ctx: t.ctx.ADMIN })).rejects.toThrow(LAST_ADMIN);
    await expect(changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.admin.id, role: "VIEWER" } })).rejects.toBeInstanceOf(Conflict);
    await expect(removeMember({ ctx: t.ctx.ADMIN, userId: t.admin.id })).rejects.toBeInstanceOf(Conflict);
    await changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.editor.id, role: "ADMIN" } });
    await changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.admin.id, role: "VIEWER" } });
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, t.org.id), eq(auditLog.action, "member.role_changed")));
    expect(audit.map((a) => a.metadata)).toContainEqual({ from: "ADMIN", to: "VIEWER" });
    expect(audit[0]!.ip).toBe(meta.ip);
    expect(audit[0]!.userAgent).toBe(meta.userAgent);
  });

  it("two concurrent demotions of the last two ADMINs leave one ADMIN", async () => {
    const t = await createTenant();
    await changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.editor.id, role: "ADMIN" } });
    const r = await Promise.allSettled([
      changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.admin.id, role: "VIEWER" } }),
      changeRole({ ctx: { ...t.ctx.EDITOR, org: { ...t.ctx.EDITOR.org, role: "ADMIN" } }, input: { userId: t.editor.id, role: "VIEWER" } }),
    ]);
    expect(r.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const admins = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.organizationId, t.org.id), eq(memberships.role, "ADMIN")));
    expect(admins).toHaveLength(1);
  });

  it("removing a member ends their sessions at once", async () => {
    const t = await createTenant();
    const s = await createSession(db(), t.viewer.id, t.org.id, meta);
    expect(await validateSession(s.token)).not.toBeNull();
    await removeMember({ ctx: t.ctx.ADMIN, userId: t.viewer.id });
    expect(await validateSession(s.token)).toBeNull();
  });

  it("anyone can create an organization and becomes its ADMIN", async () => {
    const u = await createUser();
    const org = await createOrganization({ actor: { userId: u.id, email: u.email, isAdmin: false }, input: { name: "Side Project" }, meta });
    const [m] = await db().select().from(memberships).where(eq(memberships.organizationId, org.id));
    expect(m).toMatchObject({ userId: u.id, role: "ADMIN" });
    const bad = await createOrganization({ actor: { userId: u.id, email: u.email, isAdmin: false }, input: { name: "x" }, meta }).catch((e) => e);
    expect(bad.fields.name[0]).toMatch(/at least 2/);
  });
});

describe("site admin", () => {
  it("is NotFound for everyone but site admins", async () => {
    const u = await createUser();
    const admin = await createUser({ isAdmin: true });
    await expect(listOrganizations({ actor: { userId: u.id, email: u.email, isAdmin: false } })).rejects.toBeInstanceOf(NotFound);
    await expect(listUsers({ actor: { userId: u.id, email: u.email, isAdmin: false } })).rejects.toBeInstanceOf(NotFound);
    const t = await createTenant("Findable Org");
    const orgs = await listOrganizations({ actor: { userId: admin.id, email: admin.email, isAdmin: true }, q: "Findable" });
    expect(orgs.find((o) => o.id === t.org.id)?.members).toBe(3);
    const us = await listUsers({ actor: { userId: admin.id, email: admin.email, isAdmin: true }, q: admin.email });
    expect(us[0]).toMatchObject({ id: admin.id, isAdmin: true });
    expect((await db().select().from(organizations).where(eq(organizations.id, t.org.id))).length).toBe(1);
    expect((await db().select().from(users).where(eq(users.id, admin.id)))[0]!.isAdmin).toBe(true);
  });
});
