import { NextResponse } from "next/server";
import { isDomainError, RateLimited } from "@/server/errors";
import { log } from "@/server/log";
import { isSameOrigin, metaFromHeaders } from "./request";
import type { RequestMeta } from "@/server/context";

/** The one JSON error shape: { error: { code, message, details?, requestId } }. */
export function errorResponse(status: number, code: string, message: string, requestId: string, details?: unknown, extraHeaders?: Record<string, string>) {
  return NextResponse.json({ error: { code, message, ...(details ? { details } : {}), requestId } }, { status, headers: { "x-request-id": requestId, ...extraHeaders } });
}

/** Maps a thrown error to the one JSON error shape; unknown errors are logged and never echoed. */
export function handleApiError(e: unknown, requestId: string, path: string): Response {
  if (e instanceof RateLimited) return errorResponse(429, e.code, e.message, requestId, undefined, { "Retry-After": String(e.retryAfterSeconds) });
  if (isDomainError(e)) return errorResponse(e.status, e.code, e.message, requestId, e.fields);
  log.error("request failed", { requestId, path, err: e });
  return errorResponse(500, "internal_error", `Something went wrong on our side. Reference: ${requestId}.`, requestId);
}

type Handler = (args: { req: Request; meta: RequestMeta & { requestId: string }; body: unknown }) => Promise<Response>;

/** Route-handler wrapper for cookie-authenticated JSON endpoints: origin check, body parse, error mapping. */
export function jsonRoute(fn: Handler, opts: { requireOrigin?: boolean } = { requireOrigin: true }) {
  return async (req: Request): Promise<Response> => {
    const meta = metaFromHeaders(req.headers) as RequestMeta & { requestId: string };
    if (opts.requireOrigin !== false && !isSameOrigin(req.headers)) {
      return errorResponse(403, "bad_origin", "This request did not come from Perigee's own pages and was refused.", meta.requestId);
    }
    let body: unknown = {};
    if (req.method !== "GET" && req.method !== "HEAD") {
      const text = await req.text();
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          return errorResponse(400, "invalid_json", "The request body is not valid JSON.", meta.requestId);
        }
      }
    }
    try {
      return await fn({ req, meta, body });
    } catch (e) {
      return handleApiError(e, meta.requestId, new URL(req.url).pathname);
    }
  };
}
