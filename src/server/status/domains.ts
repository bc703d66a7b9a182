/**
 * Which host names are the app itself and which belong to a status page's custom domain.
 * The proxy (src/proxy.ts) and the web server (workers/web.ts) route by these.
 */
import { env } from "../env";
import { pageByDomain, SnapshotUnavailable } from "./cache";

/** "Status.Example.com:443" → "status.example.com"; null when it is not a host name. */
export function hostName(hostHeader: string | null | undefined): string | null {
  if (!hostHeader) return null;
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1) || null;
  const name = h.replace(/:\d+$/, "");
  return /^[a-z0-9.-]{1,253}$/.test(name) ? name.replace(/\.$/, "") : null;
}

let appHost: { url: string; host: string } | undefined;

/** The app's own host (APP_URL), loopback and bare IP addresses: never a status page's domain. */
export function isAppHost(host: string): boolean {
  const url = env().APP_URL;
  if (appHost?.url !== url) appHost = { url, host: new URL(url).hostname.toLowerCase() };
  return host === appHost.host || host === "localhost" || host.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

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
