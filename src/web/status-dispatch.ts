/**
 * The web server's front door for status pages (workers/web.ts), like the REST API's
 * dispatcher (ADR 8): custom domains are routed first (their URL rewritten under
 * /status/{slug}, or refused), then every public GET under /status/{slug} is answered here —
 * the HTML views (status-pages.ts: a cached string of the snapshot) and the Statuspage JSON,
 * feeds and badges (status-assets.ts: memoised renderings) — because Next.js's router, proxy
 * and route-handler machinery would cost several times more than the answer itself. The same
 * functions answer the route handlers under src/app/status/[slug], so both paths give the
 * same bytes and headers. A custom domain's request carries the domain in
 * STATUS_DOMAIN_HEADER, set only by the routing (which drops any client copy); the page is
 * then found by its domain.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { env } from "@/server/env";
import { log } from "@/server/log";
import { STATUS_DOMAIN_HEADER } from "@/server/status/hosts";
import { statusAssetOf } from "@/server/status/render/assets";
import { apiSecurityHeaders } from "./api-dispatch";
import { routeCustomDomain } from "./custom-domain";
import { resolvePublicPage } from "./status-access";
import { assetAnswer, preflightAnswer, type AssetAnswer } from "./status-assets";
import { serveStatusHtml, type StatusView } from "./status-pages";

const PAGE_PATH = /^\/status\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/;
const HTML_REST = /^(?:\/(history)|\/incidents\/([0-9a-f-]{36}))?\/?$/;
const HTML_HEADERS = ["cookie", "if-none-match", "accept-encoding", STATUS_DOMAIN_HEADER];

/** Building a Request costs more than the rest of an asset's answer: one, read-only, serves every asset request without cookies. */
const NO_COOKIES = new Request("http://internal/");
let security: Record<string, string> | undefined;

function write(res: ServerResponse, a: AssetAnswer) {
  security ??= apiSecurityHeaders(env().NODE_ENV === "production");
  res.writeHead(a.status, { ...security, ...a.headers });
  res.end(a.body);
}

/**
 * The web server's first step for every request. True when it answered; otherwise the (maybe
 * rewritten) request goes on to the REST API's dispatcher or Next.js (every POST, and
 * anything that is not a status page's public GET).
 */
export async function dispatchStatus(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const routed = await routeCustomDomain(req).catch((err: unknown) => {
    log.warn("custom domain routing failed", { err: (err as Error).message });
    return { kind: "refuse", status: 503 } as const;
  });
  if (routed.kind === "refuse") {
    res.writeHead(routed.status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(routed.status === 404 ? "Not found" : "Temporarily unavailable");
    return true;
  }
  return req.url?.startsWith("/status/") ? dispatchStatusGet(req, res) : false;
}

async function dispatchStatusGet(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") return false;
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const pathname = q < 0 ? raw : raw.slice(0, q);
  const m = PAGE_PATH.exec(pathname);
  if (!m) return false;
  const slug = m[1]!;
  const rest = m[2] ?? "";
  const given = req.headers[STATUS_DOMAIN_HEADER];
  const domain = typeof given === "string" && given ? given : null;

  try {
    const asset = statusAssetOf(rest.slice(1), new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)));
    if (asset) {
      if (method === "OPTIONS") write(res, preflightAnswer());
      else {
        // The resolver reads only the cookies (password and members-only pages); most requests have none.
        const cookie = req.headers.cookie;
        const access = await resolvePublicPage(cookie ? new Request("http://internal/", { headers: { cookie } }) : NO_COOKIES, domain ? { domain } : { slug });
        const inm = req.headers["if-none-match"];
        write(res, assetAnswer(access, asset, { method, ifNoneMatch: typeof inm === "string" ? inm : null, acceptEncoding: req.headers["accept-encoding"] }));
      }
      return true;
    }
    const h = method === "OPTIONS" ? null : HTML_REST.exec(rest);
    if (!h) return false;
    const view: StatusView = h[1] ? { kind: "history" } : h[2] ? { kind: "incident", id: h[2] } : { kind: "home" };
    // Only what the HTML answer reads (cookies for private pages, the conditional and encoding, the routed domain).
    const headers = new Headers();
    for (const k of HTML_HEADERS) {
      const v = req.headers[k];
      if (typeof v === "string") headers.set(k, v);
    }
    const r = await serveStatusHtml(new Request(`http://localhost${raw}`, { method, headers }), slug, view);
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => (out[k] = v));
    write(res, { status: r.status, headers: out, body: method === "HEAD" || !r.body ? null : Buffer.from(await r.arrayBuffer()) });
    return true;
  } catch (err) {
    log.error("status page answer failed", { path: pathname, err: (err as Error).message });
    if (res.headersSent) res.destroy();
    else write(res, { status: 500, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }, body: Buffer.from("Internal error.\n") });
    return true;
  }
}
