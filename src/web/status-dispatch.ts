/**
 * Custom domains, and the public status pages' HTML served by the web server directly
 * (workers/web.ts), like the
 * REST API's dispatcher: the answer is a cached string of the snapshot, so going through
 * Next.js's router, proxy and route-handler machinery would cost more than the answer
 * itself. The same function answers the route handlers under src/app/status/[slug], so both
 * paths give the same bytes and headers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { log } from "@/server/log";
import { routeCustomDomain } from "./custom-domain";
import { serveStatusHtml, type StatusView } from "./status-pages";

const HTML_PATH = /^\/status\/([a-z0-9][a-z0-9-]{0,62})(?:\/(history)|\/incidents\/([0-9a-f-]{36}))?\/?$/;

/**
 * The web server's first step for every request: routes a status page's custom domain (its
 * URL is rewritten under /status/{slug}, or it is refused), then answers a status page's HTML
 * view. True when it answered; otherwise the (maybe rewritten) request goes on to the REST
 * API's dispatcher or Next.js.
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
  return req.url?.startsWith("/status/") ? dispatchStatusPage(req, res) : false;
}

/** Answers a GET/HEAD of a status page's HTML view; false when the request is not one (Next.js serves it). */
async function dispatchStatusPage(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const m = HTML_PATH.exec(q === -1 ? url : url.slice(0, q));
  if (!m) return false;
  const view: StatusView = m[2] ? { kind: "history" } : m[3] ? { kind: "incident", id: m[3] } : { kind: "home" };
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  try {
    const r = await serveStatusHtml(new Request(`http://localhost${url}`, { headers }), m[1]!, view);
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => (out[k] = v));
    const body = req.method === "HEAD" || !r.body ? undefined : Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, out).end(body);
  } catch (err) {
    log.error("status page failed", { err: (err as Error).message });
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end("Internal error");
  }
  return true;
}
