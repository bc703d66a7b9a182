import { randomBytes } from "node:crypto";
import bcrypt from "bcrypt";
import { db } from "../../src/server/db/client";
import { memberships, organizations, users, type Role } from "../../src/server/db/schema";
import type { Ctx, RequestMeta } from "../../src/server/context";

export const TEST_PASSWORD = "correct horse battery staple";
// Hashed once at cost 12 (the production cost) and reused, so factories stay fast.
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= bcrypt.hash(TEST_PASSWORD, 12));

export const meta: RequestMeta = { ip: "203.0.113.7", userAgent: "vitest" };

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${randomBytes(5).toString("hex")}@example.test`;
}

/** Confirmed by default, like every account that existed before sign-up proved addresses. */
export async function createUser(opts: { email?: string; name?: string; isAdmin?: boolean; emailConfirmed?: boolean } = {}) {
  const [u] = await db()
    .insert(users)
    .values({
      email: opts.email ?? uniqueEmail(),
      name: opts.name ?? "Test User",
      passwordHash: await passwordHash(),
      isAdmin: opts.isAdmin ?? false,
      emailVerifiedAt: opts.emailConfirmed === false ? null : new Date(),
    })
    .returning();
  return u!;
}

export async function createOrg(name = "Test Org") {
  const [o] = await db()
    .insert(organizations)
    .values({ name, slug: `t-${randomBytes(6).toString("hex")}` })
    .returning();
  return o!;
}

export async function addMember(orgId: string, userId: string, role: Role) {
  await db().insert(memberships).values({ organizationId: orgId, userId, role });
}

/** A fresh tenant with one member of each role. */
export async function createTenant(name = "Tenant") {
  const org = await createOrg(name);
  const admin = await createUser({ name: "Ada Admin" });
  const editor = await createUser({ name: "Ed Editor" });
  const viewer = await createUser({ name: "Vi Viewer" });
  await addMember(org.id, admin.id, "ADMIN");
  await addMember(org.id, editor.id, "EDITOR");
  await addMember(org.id, viewer.id, "VIEWER");
  const ctxFor = (u: typeof admin, role: Role): Ctx => ({
    actor: { userId: u.id, email: u.email, isAdmin: u.isAdmin },
    org: { id: org.id, slug: org.slug, name: org.name, role },
    meta,
  });
  return { org, admin, editor, viewer, ctx: { ADMIN: ctxFor(admin, "ADMIN"), EDITOR: ctxFor(editor, "EDITOR"), VIEWER: ctxFor(viewer, "VIEWER") } };
}
