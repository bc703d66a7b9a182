/** Which status page a custom domain belongs to (the web server routes by it: src/web/custom-domain.ts). */
import { pageByDomain, SnapshotUnavailable } from "./cache";

/**
 * Where a request for a foreign host goes: the page's slug when the host is its verified
 * domain; "not_found" when it is a page's unverified domain; "unavailable" when nothing can
 * answer; null when no page claims the host (the request is the app's).
 */
export async function customDomainTarget(host: string): Promise<{ slug: string } | "not_found" | "unavailable" | null> {
  try {
    const page = await pageByDomain(host);
    if (!page) return null;
    return page.entry.gate.domainVerified ? { slug: page.entry.snapshot.page.slug } : "not_found";
  } catch (err) {
    if (err instanceof SnapshotUnavailable) return "unavailable";
    throw err;
  }
}
