import { randomBytes } from "node:crypto";
import type { Ctx } from "../../src/server/context";

/**
 * An organization with one ADMIN, and the ADMIN's context, for a benchmark's own data. Imported
 * late like the rest of the server code: a bench points DATABASE_URL at its own database first.
 */
export async function benchTenant(org: { maxMonitors?: number } = {}): Promise<{ orgId: string; ctx: Ctx }> {
  const { db } = await import("../../src/server/db/client");
  const { memberships, organizations, users } = await import("../../src/server/db/schema");
  const [o] = await db()
    .insert(organizations)
    .values({ name: "Bench", slug: `bench-${randomBytes(4).toString("hex")}`, ...org })
    .returning();
  const [u] = await db()
    .insert(users)
    .values({ email: `bench-${randomBytes(4).toString("hex")}@example.test`, name: "Bench", passwordHash: "x", emailVerifiedAt: new Date() })
    .returning();
  await db().insert(memberships).values({ organizationId: o!.id, userId: u!.id, role: "ADMIN" });
  return {
    orgId: o!.id,
    ctx: { actor: { userId: u!.id, email: u!.email, isAdmin: false }, org: { id: o!.id, slug: o!.slug, name: o!.name, role: "ADMIN" }, meta: { ip: null, userAgent: "bench" } },
  };
}
