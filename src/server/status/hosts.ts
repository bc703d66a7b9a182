/**
 * Host names: which are the app itself (never looked up as a status page's domain). Pure, so
 * the Next proxy can use it without loading the snapshot cache.
 */
import { env } from "../env";

/**
 * Set by the web server on requests it routed from a verified custom domain
 * (src/web/custom-domain.ts drops any copy a client sends; the proxy drops it unless it names
 * the request's own foreign Host).
 */
export const STATUS_DOMAIN_HEADER = "x-perigee-status-domain";

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
