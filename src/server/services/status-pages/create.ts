import { count, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPages } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { hashPassword } from "../../auth/password";
import { randomToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { statusPageCreateSchema, type StatusPageCreateInput } from "../../validation/status-pages";
import { assertCountAllows, orgForLimits } from "../../billing/guard";
import { recordAudit } from "../audit/record";
import { conflictFrom, loadStatusPageView, replaceComponents } from "./internal";
import type { StatusPageView } from "./view";

export async function createStatusPage({ ctx, input }: { ctx: Ctx; input: StatusPageCreateInput | unknown }): Promise<StatusPageView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusPageCreateSchema, input);
  if (d.access === "password" && !d.password) throw new Invalid("Set a password for a password-protected page.", { password: ["Set a password for a password-protected page"] });
  const passwordHash = d.password ? await hashPassword(d.password) : null;
  const customDomain = d.customDomain || null;

  const view = await db()
    .transaction(async (tx) => {
      // Every page counts, published or draft (docs/api.md, Plans).
      const org = await orgForLimits(tx, ctx.org.id, { lock: true });
      const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(statusPages).where(eq(statusPages.organizationId, ctx.org.id));
      assertCountAllows(org, "statusPages", n);
      const [page] = await tx
        .insert(statusPages)
        .values({
          organizationId: ctx.org.id,
          slug: d.slug,
          name: d.name,
          description: d.description || null,
          logoUrl: d.logoUrl || null,
          ...(d.brandColor ? { brandColor: d.brandColor.toLowerCase() } : {}),
          ...(d.timeZone ? { timeZone: d.timeZone } : {}),
          ...(d.language ? { language: d.language } : {}),
          ...(d.published !== undefined ? { published: d.published } : {}),
          ...(d.access ? { access: d.access } : {}),
          passwordHash,
          ...(d.autoPublishIncidents !== undefined ? { autoPublishIncidents: d.autoPublishIncidents } : {}),
          customDomain,
          domainToken: customDomain ? randomToken(24) : null,
        })
        .returning();
      await replaceComponents(tx, ctx.org.id, page!.id, d.components);
      await recordAudit(tx, {
        organizationId: ctx.org.id,
        actorUserId: ctx.actor.userId,
        action: "status_page.created",
        targetType: "status_page",
        targetId: page!.id,
        metadata: { name: d.name, slug: d.slug, components: d.components.length },
        meta: ctx.meta,
      });
      return loadStatusPageView(tx, page!);
    })
    .catch(conflictFrom);
  await invalidateStatusPages({ pageIds: [view.id] });
  return view;
}
