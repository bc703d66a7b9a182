import { asc, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPageComponents, statusPageSections, statusPages } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { toStatusPageView, type StatusPageView } from "./view";

/** The organization's pages, by name, each with its sections and components. */
export async function listStatusPages({ ctx }: { ctx: Ctx }): Promise<StatusPageView[]> {
  requirePermission(ctx, "org:read");
  const pages = await db().select().from(statusPages).where(eq(statusPages.organizationId, ctx.org.id)).orderBy(asc(statusPages.name), asc(statusPages.id));
  if (!pages.length) return [];
  const ids = pages.map((p) => p.id);
  const [sections, components] = await Promise.all([
    db().select().from(statusPageSections).where(inArray(statusPageSections.pageId, ids)),
    db().select().from(statusPageComponents).where(inArray(statusPageComponents.pageId, ids)),
  ]);
  return pages.map((p) =>
    toStatusPageView(
      p,
      sections.filter((s) => s.pageId === p.id),
      components.filter((c) => c.pageId === p.id),
    ),
  );
}
