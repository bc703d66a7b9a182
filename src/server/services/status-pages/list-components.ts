import { asc, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPageComponents, statusPageSections } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getStatusPageOrThrow } from "./internal";
import { toComponentViews, type StatusComponentView } from "./view";

export async function listStatusComponents({ ctx, pageId }: { ctx: Ctx; pageId: string }): Promise<StatusComponentView[]> {
  requirePermission(ctx, "org:read");
  const page = await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  const [sections, components] = await Promise.all([
    db().select().from(statusPageSections).where(eq(statusPageSections.pageId, page.id)),
    db().select().from(statusPageComponents).where(eq(statusPageComponents.pageId, page.id)).orderBy(asc(statusPageComponents.position)),
  ]);
  return toComponentViews(components, sections);
}
