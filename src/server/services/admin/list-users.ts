import { count, desc, eq, ilike, or } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships, users } from "../../db/schema";
import type { Actor } from "../../context";
import { requireSiteAdmin } from "./internal";

export async function listUsers({ actor, q }: { actor: Actor; q?: string }) {
  requireSiteAdmin(actor);
  const where = q?.trim() ? or(ilike(users.email, `%${q.trim()}%`), ilike(users.name, `%${q.trim()}%`)) : undefined;
  return db()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      isAdmin: users.isAdmin,
      twoFactor: users.totpEnabledAt,
      createdAt: users.createdAt,
      organizations: count(memberships.organizationId),
    })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .where(where)
    .groupBy(users.id)
    .orderBy(desc(users.createdAt))
    .limit(100);
}
