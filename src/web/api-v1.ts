import { performance } from "node:perf_hooks";
import { z } from "zod";
import { recordAccess } from "@/server/api/access-log";
import { beginIdempotent, finishIdempotent, fingerprintOf } from "@/server/api/idempotency";
import { acceptsBody, type OperationDecl } from "@/server/api/operation";
import { rateHeaders } from "@/server/api/rate-limit";
import { SCOPES } from "@/server/auth/scopes";
import { isDomainError, RequestRefused } from "@/server/errors";
import { log } from "@/server/log";
import { ApiKeyRefused, authenticateApiKey, type ApiCaller } from "@/server/services/api-keys/authenticate";
import { errorResponse } from "./api-errors";
import { objectBody, parseQuery, readJsonBody } from "./api-input";
import { metaFromHeaders } from "./request-meta";

/**
 * The REST API's one wrapper: bearer key only (cookies are never read), scope check,
 * per-key rate limit with RateLimit-* headers, the declared query schema, JSON bodies,
 * Idempotency-Key on POST, the one error shape, and an access-log row for every
 * authenticated request.
 */
type ApiResult = { status?: number; body?: unknown; headers?: Record<string, string>; response?: Response };

/** The `{name}` placeholders of a path, e.g. "id" | "incidentId". */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
type Params<O extends OperationDecl> = [ParamNames<O["path"]>] extends [never] ? Record<string, never> : { [K in ParamNames<O["path"]>]: string };
type Query<O extends OperationDecl> = O["query"] extends z.ZodObject ? z.output<O["query"]> : Record<string, never>;
type Handler<O extends OperationDecl> = (a: {
  caller: ApiCaller;
  req: Request;
  params: Params<O>;
  query: Query<O>;
  /** POST/PATCH/PUT: the JSON object sent ({} when the body was empty), control characters refused. */
  body: Record<string, unknown>;
  url: URL;
  requestId: string;
}) => Promise<ApiResult>;
type RouteCtx = { params: Promise<Record<string, string | string[] | undefined>> };

/** A Next.js route handler that also carries its operation's declaration. */
export type ApiOperation = ((req: Request, ctx: RouteCtx) => Promise<Response>) & { readonly operation: OperationDecl };

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };
const BEARER = 'Bearer realm="perigee"';

/** Declares an operation and returns its route handler, e.g. `export const GET = operation({ method: "GET", … }, handler)`. */
export function operation<const O extends OperationDecl>(op: O, fn: Handler<O>): ApiOperation {
  const handler = async (req: Request, routeCtx: RouteCtx): Promise<Response> => {
    const started = performance.now();
    const meta = metaFromHeaders(req.headers);
    const { requestId } = meta;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
    if (!m) {
      log.info("API request without a key", { requestId, method: req.method, route: op.path, ip: meta.ip });
      return errorResponse(new RequestRefused("unauthorized", "Send an API key: Authorization: Bearer pk_live_…", { "www-authenticate": BEARER }), requestId);
    }
    let caller: ApiCaller;
    try {
      caller = await authenticateApiKey({ key: m[1]!, meta });
    } catch (e) {
      if (isDomainError(e)) {
        const known = e instanceof ApiKeyRefused ? e.key : null;
        // A key that exists (revoked, expired, creator gone) is logged in its organization's
        // access log; a key that names no tenant goes to the server log only.
        if (known)
          recordAccess({
            organizationId: known.organizationId,
            apiKeyId: known.id,
            method: req.method,
            route: op.path,
            status: e.status,
            latencyMs: Math.round(performance.now() - started),
            ip: meta.ip,
            requestId,
          });
        else log.info("API request with an unknown key", { requestId, method: req.method, route: op.path, ip: meta.ip, status: e.status });
      }
      const res = errorResponse(e, requestId, { route: op.path });
      if (res.status === 401) res.headers.set("www-authenticate", `${BEARER}, error="invalid_token"`);
      return res;
    }

    let response: Response;
    try {
      response = await handle(req, routeCtx, caller, op, fn, requestId);
    } catch (e) {
      response = errorResponse(e, requestId, { route: op.path });
    }
    for (const [k, v] of Object.entries(rateHeaders(caller.rate))) response.headers.set(k, v);
    recordAccess({
      organizationId: caller.ctx.org.id,
      apiKeyId: caller.keyId,
      method: req.method,
      route: op.path,
      status: response.status,
      latencyMs: Math.round(performance.now() - started),
      ip: meta.ip,
      requestId,
    });
    return response;
  };
  return Object.assign(handler, { operation: op });
}

async function handle<O extends OperationDecl>(req: Request, routeCtx: RouteCtx, caller: ApiCaller, op: O, fn: Handler<O>, requestId: string): Promise<Response> {
  const rate = caller.rate;
  if (rate.limited)
    throw new RequestRefused("rate_limited", `This key is limited to ${rate.limit} requests a minute. Retry after ${rate.resetSeconds} s.`, { "retry-after": String(rate.resetSeconds) });
  if (!caller.scopes.includes(op.scope)) {
    throw new RequestRefused(
      "insufficient_scope",
      `This key lacks the ${op.scope} scope${SCOPES[op.scope] !== "VIEWER" ? ` (which also needs its creator to be ${SCOPES[op.scope]} or higher)` : ""}.`,
    );
  }
  const url = new URL(req.url);
  const query = parseQuery(url, op.query ?? NO_QUERY) as Query<O>;
  const params = (await routeCtx.params) as Params<O>;
  let raw = "";
  let body: Record<string, unknown> = {};
  if (acceptsBody(op.method)) {
    const read = await readJsonBody(req);
    raw = read.raw;
    body = read.body === undefined ? {} : objectBody(read.body);
  }
  const run = async () => {
    try {
      return answer(await fn({ caller, req, params, query, body, url, requestId }), requestId);
    } catch (e) {
      return errorResponse(e, requestId, { route: op.path });
    }
  };

  const idemKey = req.method === "POST" ? req.headers.get("idempotency-key") : null;
  if (idemKey === null) return run();
  if (!/^[\x21-\x7E]{1,255}$/.test(idemKey)) throw new RequestRefused("invalid_idempotency_key", "Idempotency-Key must be 1–255 visible ASCII characters.");
  const fp = fingerprintOf(req.method, url.pathname, raw);
  const begin = await beginIdempotent(caller.keyId, idemKey, fp);
  if (begin.kind === "mismatch") throw new RequestRefused("idempotency_key_reused", "This Idempotency-Key was used for a different request.");
  if (begin.kind === "running") throw new RequestRefused("idempotency_in_progress", "A request with this Idempotency-Key is still in progress; retry shortly.", { "retry-after": "1" });
  if (begin.kind === "replay") {
    return new Response(begin.body, {
      status: begin.status,
      headers: { ...JSON_HEADERS, "x-request-id": requestId, "idempotent-replayed": "true", ...(begin.location ? { location: begin.location } : {}) },
    });
  }
  const res = await run();
  await finishIdempotent(caller.keyId, idemKey, fp, res.status, await res.clone().text(), res.headers.get("location"));
  return res;
}

const NO_QUERY = z.object({});

function answer(r: ApiResult, requestId: string): Response {
  // A ready answer (a streamed download) goes out as built.
  if (r.response) {
    r.response.headers.set("x-request-id", requestId);
    return r.response;
  }
  const status = r.status ?? 200;
  if (status === 204) return new Response(null, { status, headers: { "cache-control": "no-store", "x-request-id": requestId, ...r.headers } });
  return new Response(JSON.stringify(r.body ?? {}), { status, headers: { ...JSON_HEADERS, "x-request-id": requestId, ...r.headers } });
}

/** An unauthenticated, cacheable JSON GET under /api/v1 (the OpenAPI document): no operation, but its path is declared. */
export function publicJsonRoute(path: string, fn: () => unknown): (() => Response) & { readonly publicPath: string } {
  const handler = () => new Response(JSON.stringify(fn()), { status: 200, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" } });
  return Object.assign(handler, { publicPath: path });
}
