import { performance } from "node:perf_hooks";
import { recordAccess } from "@/server/api/access-log";
import { beginIdempotent, finishIdempotent, fingerprintOf } from "@/server/api/idempotency";
import { rateHeaders, type RateState } from "@/server/api/rate-limit";
import { SCOPES, type Scope } from "@/server/auth/scopes";
import { isDomainError, RateLimited } from "@/server/errors";
import { log } from "@/server/log";
import { ApiKeyRefused, authenticateApiKey, type ApiCaller } from "@/server/services/api-keys/authenticate";
import { metaFromHeaders } from "./request-meta";

/**
 * The REST API's one wrapper: bearer key only (cookies are never read), scope check,
 * per-key rate limit with RateLimit-* headers, Idempotency-Key on POST, the one error shape,
 * and an access-log row for every authenticated request.
 */
export type ApiResult = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler<P> = (a: { caller: ApiCaller; req: Request; params: P; body: unknown; url: URL; requestId: string }) => Promise<ApiResult>;
type RouteCtx = { params: Promise<Record<string, string | string[] | undefined>> };

const BASE_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function apiError(status: number, code: string, message: string, requestId: string, details?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message, ...(details ? { details } : {}), requestId } }), { status, headers: { ...BASE_HEADERS, "x-request-id": requestId, ...headers } });
}

export function apiRoute<P extends Record<string, string> = Record<string, never>>(opts: { route: string; scope: Scope }, fn: Handler<P>) {
  return async (req: Request, routeCtx: RouteCtx): Promise<Response> => {
    const started = performance.now();
    const meta = metaFromHeaders(req.headers) as ReturnType<typeof metaFromHeaders> & { requestId: string };
    const requestId = meta.requestId!;
    const auth = req.headers.get("authorization") ?? "";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m) {
      log.info("API request without a key", { requestId, method: req.method, route: opts.route, ip: meta.ip });
      return apiError(401, "unauthorized", "Send an API key: Authorization: Bearer pk_live_…", requestId, undefined, { "www-authenticate": 'Bearer realm="perigee"' });
    }
    let caller: ApiCaller;
    try {
      caller = await authenticateApiKey(m[1]!, meta);
    } catch (e) {
      if (isDomainError(e)) {
        const known = e instanceof ApiKeyRefused ? e.key : null;
        // A key that exists (revoked, expired, creator gone) is logged in its organization's
        // access log; a key that names no tenant goes to the server log only.
        if (known) recordAccess({ organizationId: known.organizationId, apiKeyId: known.id, method: req.method, route: opts.route, status: e.status, latencyMs: Math.round(performance.now() - started), ip: meta.ip, requestId });
        else log.info("API request with an unknown key", { requestId, method: req.method, route: opts.route, ip: meta.ip, status: e.status });
        if (e instanceof RateLimited) return apiError(429, "rate_limited", e.message, requestId, undefined, { "retry-after": String(e.retryAfterSeconds) });
        return apiError(e.status, e.code, e.message, requestId, undefined, { "www-authenticate": 'Bearer realm="perigee", error="invalid_token"' });
      }
      log.error("API authentication failed", { requestId, err: e });
      return apiError(500, "internal_error", `Something went wrong on our side. Reference: ${requestId}.`, requestId);
    }

    let rate: RateState | null = null;
    let response: Response;
    try {
      rate = caller.rate;
      response = await handle(req, routeCtx, caller, opts, fn, rate, requestId);
    } catch (e) {
      response = toErrorResponse(e, requestId, opts.route);
    }
    if (rate) for (const [k, v] of Object.entries(rateHeaders(rate))) response.headers.set(k, v);
    recordAccess({
      organizationId: caller.ctx.org.id,
      apiKeyId: caller.keyId,
      method: req.method,
      route: opts.route,
      status: response.status,
      latencyMs: Math.round(performance.now() - started),
      ip: meta.ip,
      requestId,
    });
    return response;
  };
}

async function handle<P>(req: Request, routeCtx: RouteCtx, caller: ApiCaller, opts: { route: string; scope: Scope }, fn: Handler<P>, rate: RateState, requestId: string): Promise<Response> {
  if (rate.limited) {
    return apiError(429, "rate_limited", `This key is limited to ${rate.limit} requests a minute. Retry after ${rate.resetSeconds} s.`, requestId, undefined, { "retry-after": String(rate.resetSeconds) });
  }
  if (!caller.scopes.includes(opts.scope)) {
    return apiError(403, "insufficient_scope", `This key lacks the ${opts.scope} scope${SCOPES[opts.scope] !== "VIEWER" ? ` (which also needs its creator to be ${SCOPES[opts.scope]} or higher)` : ""}.`, requestId);
  }
  const url = new URL(req.url);
  const params = (await routeCtx.params) as P;
  let raw = "";
  let body: unknown = undefined;
  if (req.method === "POST" || req.method === "PATCH" || req.method === "PUT") {
    raw = await req.text();
    if (raw.length > 256 * 1024) return apiError(413, "payload_too_large", "The request body is larger than 256 KiB.", requestId);
    if (raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        return apiError(400, "invalid_json", "The request body is not valid JSON.", requestId);
      }
    } else body = {};
  }

  const idemKey = req.method === "POST" ? req.headers.get("idempotency-key") : null;
  if (idemKey !== null) {
    if (!/^[\x21-\x7E]{1,255}$/.test(idemKey)) return apiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1–255 visible ASCII characters.", requestId);
    const fp = fingerprintOf(req.method, url.pathname, raw);
    const begin = await beginIdempotent(caller.keyId, idemKey, fp);
    if (begin.kind === "mismatch") return apiError(422, "idempotency_key_reused", "This Idempotency-Key was used for a different request.", requestId);
    if (begin.kind === "running") return apiError(409, "idempotency_in_progress", "A request with this Idempotency-Key is still in progress; retry shortly.", requestId, undefined, { "retry-after": "1" });
    if (begin.kind === "replay") {
      return new Response(begin.body, { status: begin.status, headers: { ...BASE_HEADERS, "x-request-id": requestId, "idempotent-replayed": "true", ...(begin.location ? { location: begin.location } : {}) } });
    }
    let res: Response;
    try {
      res = await run(fn, caller, req, params, body, url, requestId);
    } catch (e) {
      res = toErrorResponse(e, requestId, url.pathname);
    }
    const text = await res.clone().text();
    await finishIdempotent(caller.keyId, idemKey, fp, res.status, text, res.headers.get("location"));
    return res;
  }
  return run(fn, caller, req, params, body, url, requestId);
}

async function run<P>(fn: Handler<P>, caller: ApiCaller, req: Request, params: P, body: unknown, url: URL, requestId: string): Promise<Response> {
  const r = await fn({ caller, req, params, body, url, requestId });
  const status = r.status ?? 200;
  if (status === 204) return new Response(null, { status, headers: { "cache-control": "no-store", "x-request-id": requestId, ...r.headers } });
  return new Response(JSON.stringify(r.body ?? {}), { status, headers: { ...BASE_HEADERS, "x-request-id": requestId, ...r.headers } });
}

function toErrorResponse(e: unknown, requestId: string, path: string): Response {
  if (isDomainError(e)) {
    const extra: Record<string, string> = e.status === 429 && "retryAfterSeconds" in e ? { "retry-after": String((e as { retryAfterSeconds: number }).retryAfterSeconds) } : {};
    return apiError(e.status, e.code, e.message, requestId, e.fields, extra);
  }
  log.error("API request failed", { requestId, path, err: e });
  return apiError(500, "internal_error", `Something went wrong on our side. Reference: ${requestId}.`, requestId);
}

/** An unauthenticated, uncached-by-default JSON answer (the OpenAPI document). */
export function publicJson(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300", ...headers } });
}
