import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { RequestRefused } from "@/server/errors";
import { errorResponse } from "./api-errors";
import { MAX_BODY_BYTES } from "./api-input";
import { matchApiRoute } from "./api-routes";
import { requestIdOf } from "./request-id";

/**
 * Serves /api/v1 from the web process's own HTTP server, calling the very route handlers in
 * src/app/api/v1 without Next.js's routing, rendering and response pipeline in between
 * (ADR 8: Next's per-request overhead alone exceeded the API's latency budget). The
 * handlers take a standard Request and return a Response either way.
 */

/** Static security headers for JSON answers (pages get theirs, and a nonce CSP, from Next). */
export function apiSecurityHeaders(production: boolean): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    ...(production ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

export async function dispatchApi(req: IncomingMessage, res: ServerResponse, opts: { production: boolean }): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://internal");
  if (!url.pathname.startsWith("/api/v1/")) return false;
  const method = (req.method ?? "GET").toUpperCase();
  const security = apiSecurityHeaders(opts.production);
  const given = req.headers["x-request-id"];
  const requestId = requestIdOf(typeof given === "string" ? given : null);
  const send = async (response: Response) => {
    const out: Record<string, string> = { ...security };
    response.headers.forEach((v, k) => (out[k] = v));
    // Downloads (the data export) are streamed as they are produced, never held whole.
    if (response.body && method !== "HEAD" && response.headers.get("content-disposition")?.startsWith("attachment")) {
      res.writeHead(response.status, out);
      await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
      return true;
    }
    const body = response.status === 204 || method === "HEAD" ? null : Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, out);
    res.end(body);
    return true;
  };

  try {
    const route = matchApiRoute(url.pathname, method);
    if (!route) throw new RequestRefused("not_found", `No API endpoint at ${url.pathname}. See /api/v1/openapi.json.`);
    if (!route.handler) throw new RequestRefused("method_not_allowed", `${method} is not supported here; use ${route.allowed.join(", ")}.`, { allow: route.allowed.join(", ") });
    const chunks: Buffer[] = [];
    let size = 0;
    if (method !== "GET" && method !== "HEAD") {
      for await (const c of req as AsyncIterable<Buffer>) {
        size += c.length;
        if (size > MAX_BODY_BYTES) throw new RequestRefused("payload_too_large", "The request body is larger than 256 KiB.");
        chunks.push(c);
      }
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    headers.set("x-request-id", requestId);
    // The Host header is the client's to send: only a plain host[:port] goes into the URL.
    const host = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(req.headers.host ?? "") ? req.headers.host! : "localhost";
    const request = new Request(`http://${host}${url.pathname}${url.search}`, { method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    return await send(await route.handler(request, { params: Promise.resolve(route.params) }));
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
      return true;
    }
    return send(errorResponse(err, requestId, { path: url.pathname, via: "dispatcher" }));
  }
}
