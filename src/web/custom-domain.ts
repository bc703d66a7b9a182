/**
 * Routing of a status page's custom domain, done by the web server (workers/web.ts) before
 * Next.js sees the request: a request whose Host is a page's verified domain gets its URL
 * rewritten to the page's paths (`/` → `/status/{slug}`, `/history` → `/status/{slug}/history`
 * …) and the STATUS_DOMAIN_HEADER set, so nothing else of the app — sign-in, dashboard, REST
 * API — answers there. (A rewrite in the Next proxy would go out over HTTP when the Host
 * differs from the server's own address, losing the header.)
 */
import type { IncomingMessage } from "node:http";
import { customDomainTarget } from "@/server/status/domains";
import { hostName, isAppHost, STATUS_DOMAIN_HEADER } from "@/server/status/hosts";

export type DomainRouting = { kind: "app" } | { kind: "page"; url: string; domain: string } | { kind: "refuse"; status: 404 | 503 };

/** Decides, and on "page" rewrites `req.url` and sets the header. A client's own copy of the header is always dropped. */
export async function routeCustomDomain(req: Pick<IncomingMessage, "url" | "headers">): Promise<DomainRouting> {
  delete req.headers[STATUS_DOMAIN_HEADER];
  const host = hostName(req.headers.host);
  if (!host || isAppHost(host)) return { kind: "app" };
  const target = await customDomainTarget(host);
  if (target === null) return { kind: "app" };
  if (target === "not_found" || target === "unavailable") return { kind: "refuse", status: target === "not_found" ? 404 : 503 };
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const path = q === -1 ? raw : raw.slice(0, q);
  // Only plain paths: no dot segments, encoded slashes or dots that could step out of the page.
  if (!path.startsWith("/") || /\/\.\.?(?:\/|$)|%2e|%2f|%5c|\\|\/\//i.test(path)) return { kind: "refuse", status: 404 };
  const url = `/status/${target.slug}${path === "/" ? "" : path}${q === -1 ? "" : raw.slice(q)}`;
  req.url = url;
  req.headers[STATUS_DOMAIN_HEADER] = host;
  return { kind: "page", url, domain: host };
}
