import { Resolver } from "node:dns/promises";
import { and, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusPages } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { privateNameReason } from "../../checks/ssrf";
import { env } from "../../env";
import { Invalid, NotFound } from "../../errors";
import { invalidateStatusPages } from "../../status/invalidate";
import { recordAudit } from "../audit/record";

type ResolveTxt = (name: string) => Promise<string[][]>;

const TIMEOUT_MS = 5000;

/** The system resolver with a hard deadline. */
const systemResolveTxt: ResolveTxt = async (name) => {
  const r = new Resolver({ timeout: TIMEOUT_MS, tries: 2 });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([r.resolveTxt(name), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("DNS timeout")), TIMEOUT_MS)))]);
  } finally {
    clearTimeout(timer);
    r.cancel();
  }
};

/**
 * Checks a page's custom domain: the TXT record `_perigee.{domain}` must hold the page's
 * domain token. Private names (single labels, .internal, .local …) are never looked up,
 * as for DNS monitors. Verified: the domain is served and the TLS ask endpoint answers 200.
 */
export async function verifyDomain({
  ctx,
  pageId,
  resolveTxt = systemResolveTxt,
}: {
  ctx: Ctx;
  pageId: string;
  resolveTxt?: ResolveTxt;
}): Promise<{ domain: string; verified: boolean; reason?: string }> {
  requirePermission(ctx, "status-pages:write");
  const [page] = /^[0-9a-f-]{36}$/i.test(pageId)
    ? await db()
        .select()
        .from(statusPages)
        .where(and(eq(statusPages.id, pageId), eq(statusPages.organizationId, ctx.org.id)))
    : [];
  if (!page) throw new NotFound("Status page not found.");
  if (!page.customDomain || !page.domainToken) throw new Invalid("The page has no custom domain.", { customDomain: ["Set a custom domain first."] });
  const domain = page.customDomain;
  if (page.domainVerifiedAt) return { domain, verified: true };
  const privateName = env().ALLOW_PRIVATE_TARGETS ? null : privateNameReason(domain);
  if (privateName) return { domain, verified: false, reason: privateName };
  const name = `_perigee.${domain}`;
  let records: string[];
  try {
    records = (await resolveTxt(name)).map((chunks) => chunks.join("").trim());
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { domain, verified: false, reason: code === "ENOTFOUND" || code === "ENODATA" ? `No TXT record at ${name}.` : `Could not look up ${name}.` };
  }
  if (!records.includes(page.domainToken)) return { domain, verified: false, reason: `The TXT record at ${name} does not hold the expected value.` };
  await db().transaction(async (tx) => {
    await tx.update(statusPages).set({ domainVerifiedAt: new Date(), updatedAt: new Date() }).where(eq(statusPages.id, page.id));
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_page.domain_verified",
      targetType: "status_page",
      targetId: page.id,
      metadata: { domain },
      meta: ctx.meta,
    });
  });
  await invalidateStatusPages({ pageIds: [page.id] });
  return { domain, verified: true };
}
