import { asc, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPageComponents, statusPageSections } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { statusComponentsSchema, type StatusComponentsInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, replaceComponents, touchStatusPage } from "./internal";
import { toComponentViews, type StatusComponentView } from "./view";

/** Replaces the page's components (and their sections) by the list, in its order. */
export async function replaceStatusComponents({ ctx, pageId, input }: { ctx: Ctx; pageId: string; input: StatusComponentsInput | unknown }): Promise<StatusComponentView[]> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusComponentsSchema, input);
  const out = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
    await replaceComponents(tx, ctx.org.id, page.id, d.components);
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_page.components_replaced",
      targetType: "status_page",
      targetId: page.id,
      metadata: { components: d.components.length },
      meta: ctx.meta,
    });
    const [sections, components] = await Promise.all([
      tx.select().from(statusPageSections).where(eq(statusPageSections.pageId, page.id)),
      tx.select().from(statusPageComponents).where(eq(statusPageComponents.pageId, page.id)).orderBy(asc(statusPageComponents.position)),
    ]);
    return toComponentViews(components, sections);
  });
  await invalidateStatusPages({ pageIds: [pageId] });
  return out;
}
