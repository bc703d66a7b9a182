import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPages } from "../../db/schema";
import { NotFound } from "../../errors";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";

/** The operator vouches for a page's custom domain (CLI `status-page:verify-domain`), without the DNS check. */
export async function markDomainVerified({ domain }: { domain: string }): Promise<{ pageId: string; slug: string; domain: string; verifiedAt: string }> {
  const d = domain.trim().toLowerCase().replace(/\.$/, "");
  const [page] = await db().select().from(statusPages).where(eq(statusPages.customDomain, d));
  if (!page) throw new NotFound(`No status page has the custom domain ${d}.`);
  const verifiedAt = page.domainVerifiedAt ?? new Date();
  if (!page.domainVerifiedAt)
    await db().transaction(async (tx) => {
      await tx.update(statusPages).set({ domainVerifiedAt: verifiedAt, updatedAt: new Date() }).where(eq(statusPages.id, page.id));
      await recordAudit(tx, {
        organizationId: page.organizationId,
        actorUserId: null,
        action: "status_page.domain_verified",
        targetType: "status_page",
        targetId: page.id,
        metadata: { domain: d, by: "operator" },
        meta: { ip: "cli", userAgent: "perigee-cli" },
      });
    });
  await invalidateStatusPages({ pageIds: [page.id] });
  return { pageId: page.id, slug: page.slug, domain: d, verifiedAt: verifiedAt.toISOString() };
}
