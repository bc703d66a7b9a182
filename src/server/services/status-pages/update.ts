import { and, count, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPages } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { hashPassword } from "../../auth/password";
import { randomToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { statusPageUpdateSchema, type StatusPageUpdateInput } from "../../validation/status-pages";
import { assertCountAllows, orgForLimits } from "../../billing/guard";
import { recordAudit } from "../audit/record";
import { conflictFrom, getStatusPageOrThrow, loadStatusPageView, replaceComponents, touchStatusPage } from "./internal";
import type { StatusPageView } from "./view";

/** Partial update: only the given fields change; `components`, when given, replaces the list. */
export async function updateStatusPage({ ctx, pageId, input }: { ctx: Ctx; pageId: string; input: StatusPageUpdateInput | unknown }): Promise<StatusPageView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusPageUpdateSchema, input);
  const passwordHash = d.password ? await hashPassword(d.password) : undefined;

  const view = await db()
    .transaction(async (tx) => {
      // Organization row first when publishing, the order plan enforcement locks them in.
      const org = d.published ? await orgForLimits(tx, ctx.org.id, { lock: true }) : null;
      const current = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
      const access = d.access ?? current.access;
      if (access === "password" && !passwordHash && !current.passwordHash) {
        throw new Invalid("Set a password for a password-protected page.", { password: ["Set a password for a password-protected page"] });
      }
      if (org && !current.published) {
        // Publishing counts the pages already public: after a downgrade the ADMIN can swap
        // which page is public, but not publish more than the plan allows.
        const [{ n } = { n: 0 }] = await tx
          .select({ n: count() })
          .from(statusPages)
          .where(and(eq(statusPages.organizationId, ctx.org.id), eq(statusPages.published, true)));
        assertCountAllows(org, "statusPages", n);
      }
      const domain = d.customDomain === undefined ? current.customDomain : d.customDomain || null;
      const domainChanged = domain !== current.customDomain;
      await tx
        .update(statusPages)
        .set({
          ...(d.name !== undefined ? { name: d.name } : {}),
          ...(d.slug !== undefined ? { slug: d.slug } : {}),
          ...(d.description !== undefined ? { description: d.description || null } : {}),
          ...(d.logoUrl !== undefined ? { logoUrl: d.logoUrl || null } : {}),
          ...(d.brandColor !== undefined ? { brandColor: d.brandColor.toLowerCase() } : {}),
          ...(d.timeZone !== undefined ? { timeZone: d.timeZone } : {}),
          ...(d.language !== undefined ? { language: d.language } : {}),
          ...(d.published !== undefined ? { published: d.published } : {}),
          // A person publishing or unpublishing replaces a downgrade's choice; a form that
          // merely re-sends the current state leaves it.
          ...(d.published !== undefined && d.published !== current.published ? { unpublishedByPlan: false } : {}),
          ...(d.access !== undefined ? { access: d.access } : {}),
          ...(passwordHash ? { passwordHash } : {}),
          ...(d.autoPublishIncidents !== undefined ? { autoPublishIncidents: d.autoPublishIncidents } : {}),
          // A new domain must be proven again, with a new token.
          ...(domainChanged ? { customDomain: domain, domainToken: domain ? randomToken(24) : null, domainVerifiedAt: null } : {}),
          updatedAt: new Date(),
        })
        .where(eq(statusPages.id, current.id));
      if (d.components !== undefined) await replaceComponents(tx, ctx.org.id, current.id, d.components);
      await touchStatusPage(tx, current.id);
      await recordAudit(tx, {
        organizationId: ctx.org.id,
        actorUserId: ctx.actor.userId,
        action: "status_page.updated",
        targetType: "status_page",
        targetId: current.id,
        // Which fields changed, never the password.
        metadata: { fields: Object.keys(d).filter((k) => (d as Record<string, unknown>)[k] !== undefined) },
        meta: ctx.meta,
      });
      return loadStatusPageView(tx, await getStatusPageOrThrow(tx, ctx.org.id, current.id));
    })
    .catch(conflictFrom);
  await invalidateStatusPages({ pageIds: [view.id] });
  return view;
}
