import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/server/log";
import { statusAssetOf } from "@/server/status/render/assets";
import { apiSecurityHeaders } from "./api-dispatch";
import { STATUS_DOMAIN_HEADER } from "@/server/status/hosts";
import { resolvePublicPage } from "./status-access";
import { assetAnswer, preflightAnswer, type AssetAnswer } from "./status-assets";
import { serveStatusHtml, type StatusView } from "./status-pages";

/**
 * Serves public status pages' GETs from the web process's own HTTP server (workers/web.ts),
 * like /api/v1 (ADR 8): Next.js's per-request pipeline alone costs several times more than
 * the snapshot lookup and a memoised body, and these are the URLs visitors, aggregators and
 * badges hit during an outage. The same answer builders as the route files in
 * src/app/status/[slug] (which still serve `next dev`, and every POST): JSON, feeds and
 * badges (status-assets.ts) at /status/{slug}/{asset}, the HTML views (status-pages.ts) at
 * /status/{slug}, …/history, …/incidents/{id}. A custom domain's request arrives here
 * already rewritten under /status/{slug} with the domain in STATUS_DOMAIN_HEADER (set only by
 * the web server's custom-domain routing, which drops any client copy), and the page is then
 * found by its domain. Returns false for anything else, which Next.js then serves.
 */

/** Building a Request costs more than the rest of an asset's answer: one, read-only, serves every asset request without cookies. */
const NO_COOKIES = new Request("http://internal/");
const SECURITY = apiSecurityHeaders(false);
const SECURITY_PRODUCTION = apiSecurityHeaders(true);

function viewOf(rest: string): StatusView | null {
  if (rest === "" || rest === "/") return { kind: "home" };
  if (rest === "/history" || rest === "/history/") return { kind: "history" };
  const m = /^\/incidents\/([0-9a-f-]{36})\/?$/.exec(rest);
  return m ? { kind: "incident", id: m[1]! } : null;
}

function write(res: ServerResponse, a: AssetAnswer, production: boolean) {
  res.writeHead(a.status, { ...(production ? SECURITY_PRODUCTION : SECURITY), ...a.headers });
  res.end(a.body);
}

export async function dispatchStatus(req: IncomingMessage, res: ServerResponse, opts: { production: boolean }): Promise<boolean> {
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") return false;
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const pathname = q < 0 ? raw : raw.slice(0, q);
  const m = /^\/status\/([a-z0-9][a-z0-9-]{0,62})(\/.*)?$/.exec(pathname);
  if (!m) return false;
  const slug = m[1]!;
  const rest = m[2] ?? "";
  const given = req.headers[STATUS_DOMAIN_HEADER];
  const domain = typeof given === "string" && given ? given : null;

  try {
    const asset = statusAssetOf(rest.slice(1), new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)));
    if (asset) {
      if (method === "OPTIONS") write(res, preflightAnswer(), opts.production);
      else {
        // The resolver reads only the cookies (password and members-only pages); most requests have none.
        const cookie = req.headers.cookie;
        const access = await resolvePublicPage(cookie ? new Request("http://internal/", { headers: { cookie } }) : NO_COOKIES, domain ? { domain } : { slug });
        const inm = req.headers["if-none-match"];
        write(res, assetAnswer(access, asset, { method, ifNoneMatch: typeof inm === "string" ? inm : null, acceptEncoding: req.headers["accept-encoding"] }), opts.production);
      }
      return true;
    }
    const view = method === "OPTIONS" ? null : viewOf(rest);
    if (!view) return false;
    const headers = new Headers();
    for (const h of ["cookie", "accept-encoding", "if-none-match", "accept-language"]) {
      const v = req.headers[h];
      if (typeof v === "string") headers.set(h, v);
    }
    if (domain) headers.set(STATUS_DOMAIN_HEADER, domain);
    const response = await serveStatusHtml(new Request(`http://internal${pathname}`, { method, headers }), slug, view);
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    write(res, { status: response.status, headers: out, body: method === "HEAD" ? null : Buffer.from(await response.arrayBuffer()) }, opts.production);
    return true;
  } catch (err) {
    log.error("status page answer failed", { path: pathname, err: (err as Error).message });
    if (res.headersSent) res.destroy();
    else write(res, { status: 500, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }, body: Buffer.from("Internal error.\n") }, opts.production);
    return true;
  }
}
