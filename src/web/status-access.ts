/**
 * Who may see a public status page, decided from the cached snapshot's gate: served with no
 * database query for public pages on a warm cache, and from the last snapshot while Postgres
 * is down. Private pages: "password" needs the page cookie (else 401), "members" a signed-in
 * member of the page's organization (else 404, so the page's existence is not revealed).
 */
import { SESSION_COOKIE, validateSession } from "@/server/auth/session";
import { pageByDomain, pageBySlug, SnapshotUnavailable } from "@/server/status/cache";
import { STATUS_DOMAIN_HEADER } from "@/server/status/hosts";
import { PAGE_COOKIE, pageCookieValid } from "@/server/status/page-access";
import type { SnapshotEntry } from "@/server/status/snapshot-types";

export type PublicPageAccess =
  | { ok: true; entry: SnapshotEntry; ageSeconds: number; stale: boolean }
  | { ok: false; status: 401; reason: "password"; entry: SnapshotEntry }
  | { ok: false; status: 404; reason: "not_found" }
  | { ok: false; status: 503; reason: "unavailable" };

/** Every value of a cookie in a Cookie header (several paths may each set one). */
export function cookieValues(req: Request, name: string): string[] {
  const header = req.headers.get("cookie");
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) out.push(decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

/**
 * The page for a request, if the caller may see it. `by.domain` is only honoured for a
 * verified custom domain. On a 401 the entry is returned so the password form can show the
 * page's name and colour — never its components or incidents.
 */
export async function resolvePublicPage(req: Request, by: { slug: string } | { domain: string }): Promise<PublicPageAccess> {
  let page;
  try {
    page = "slug" in by ? await pageBySlug(by.slug) : await pageByDomain(by.domain);
  } catch (err) {
    if (err instanceof SnapshotUnavailable) return { ok: false, status: 503, reason: "unavailable" };
    throw err;
  }
  if (!page) return { ok: false, status: 404, reason: "not_found" };
  const { gate } = page.entry;
  if ("domain" in by && !gate.domainVerified) return { ok: false, status: 404, reason: "not_found" };
  if (!gate.published) return { ok: false, status: 404, reason: "not_found" };
  if (gate.access === "password") {
    if (!pageCookieValid(cookieValues(req, PAGE_COOKIE), page.entry.snapshot.page.id, gate.passwordHash)) return { ok: false, status: 401, reason: "password", entry: page.entry };
  } else if (gate.access === "members") {
    // App cookies never reach custom domains; there, members-only pages are not served.
    if ("domain" in by) return { ok: false, status: 404, reason: "not_found" };
    const token = cookieValues(req, SESSION_COOKIE)[0];
    const session = token ? await validateSession(token).catch(() => null) : null;
    if (!session?.orgs.some((o) => o.id === gate.organizationId)) return { ok: false, status: 404, reason: "not_found" };
  }
  return { ok: true, entry: page.entry, ageSeconds: page.ageSeconds, stale: page.stale };
}

/** How a route under /status/[slug] names its page: by the custom domain the proxy rewrote from, else by the slug. */
export function pageSelector(req: Request, slug: string): { slug: string } | { domain: string } {
  const domain = req.headers.get(STATUS_DOMAIN_HEADER);
  return domain ? { domain } : { slug };
}

/** The path prefix of the page's links: "" on its custom domain, else /status/{slug}. */
export function pageBasePath(req: Request, slug: string): string {
  return req.headers.get(STATUS_DOMAIN_HEADER) ? "" : `/status/${slug}`;
}
