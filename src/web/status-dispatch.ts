import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/server/log";
import { statusAssetOf } from "@/server/status/render/assets";
import { apiSecurityHeaders } from "./api-dispatch";
import { resolvePublicPage } from "./status-access";
import { assetAnswer, preflightAnswer, type AssetAnswer } from "./status-assets";

/**
 * Serves a public page's Statuspage JSON, feeds and badges from the web process's own HTTP
 * server (workers/web.ts), like /api/v1 (ADR 8): Next.js's per-request pipeline alone costs
 * more than the snapshot lookup and a memoised body, and these are the URLs aggregators and
 * badges poll. Same answer builder as the route handlers in src/app/status/[slug], which
 * still serve `next dev`. Paths: /status/{slug}/{asset}, and /{asset} on any other Host
 * (a page's verified custom domain; an unknown host answers 404, as the app would there).
 * Returns false for anything else, which Next.js then serves.
 */
/** Building a Request costs more than the rest of the answer: one, read-only, serves every request without cookies. */
const NO_COOKIES = new Request("http://internal/");
const SECURITY = apiSecurityHeaders(false);
const SECURITY_PRODUCTION = apiSecurityHeaders(true);

export async function dispatchStatusAsset(req: IncomingMessage, res: ServerResponse, opts: { production: boolean; appHost: string }): Promise<boolean> {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const pathname = q < 0 ? raw : raw.slice(0, q);
  let by: { slug: string } | { domain: string };
  let rest: string;
  const m = /^\/status\/([a-z0-9][a-z0-9-]{0,62})\/(.+)$/.exec(pathname);
  if (m) {
    by = { slug: m[1]! };
    rest = m[2]!;
  } else {
    const host = (req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
    if (!host || host === opts.appHost || !pathname.startsWith("/")) return false;
    by = { domain: host };
    rest = pathname.slice(1);
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && method !== "OPTIONS") return false;
  const asset = statusAssetOf(rest, new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)));
  if (!asset) return false;

  let answer: AssetAnswer;
  try {
    if (method === "OPTIONS") answer = preflightAnswer();
    else {
      // The resolver reads only the cookies (password and members-only pages); most requests have none.
      const cookie = req.headers.cookie;
      const access = await resolvePublicPage(cookie ? new Request("http://internal/", { headers: { cookie } }) : NO_COOKIES, by);
      const inm = req.headers["if-none-match"];
      answer = assetAnswer(access, asset, { method, ifNoneMatch: typeof inm === "string" ? inm : null, acceptEncoding: req.headers["accept-encoding"] });
    }
  } catch (err) {
    log.error("status asset failed", { path: pathname, err: (err as Error).message });
    answer = { status: 500, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }, body: Buffer.from("Internal error.\n") };
  }
  res.writeHead(answer.status, { ...(opts.production ? SECURITY_PRODUCTION : SECURITY), ...answer.headers });
  res.end(answer.body);
  return true;
}
