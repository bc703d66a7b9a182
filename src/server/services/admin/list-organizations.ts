import { count, desc, eq, ilike, or } from "drizzle-orm";
import { db } from "../../db/client";
import { memberships, organizations } from "../../db/schema";
import type { Actor } from "../../context";
import { requireSiteAdmin } from "./internal";

export async function listOrganizations({ actor, q }: { actor: Actor; q?: string }) {
  requireSiteAdmin(actor);
  const where = q?.trim() ? or(ilike(organizations.name, `%${q.trim()}%`), ilike(organizations.slug, `%${q.trim()}%`)) : undefined;
  return db()
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, createdAt: organizations.createdAt, members: count(memberships.userId) })
    .from(organizations)
    .leftJoin(memberships, eq(memberships.organizationId, organizations.id))
    .where(where)
    .groupBy(organizations.id)
    .orderBy(desc(organizations.createdAt))
    .limit(100);
}
