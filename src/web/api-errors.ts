import { ERROR_CODES, isDomainError, PlanLimitReached, RateLimited, RequestRefused, type ErrorCode, type FieldErrors, type PlanLimitInfo } from "@/server/errors";
import { env } from "@/server/env";
import { log } from "@/server/log";

/**
 * The one error mapper. Route handlers, the /api/v1 dispatcher, the heartbeat and probe
 * routes and the dashboard's server actions all turn a thrown error into an answer here:
 * a domain error keeps its code, message and field details; anything else is logged with
 * the request id and answered as a generic 500 that never echoes the error.
 */
type MappedError = { status: number; code: ErrorCode; message: string; details?: FieldErrors; limit?: PlanLimitInfo; headers: Record<string, string> };

type ErrorBody = { error: { code: ErrorCode; message: string; details?: FieldErrors; limit?: PlanLimitInfo; requestId: string; docs: string } };

const internalErrorMessage = (requestId: string) => `Something went wrong on our side. Please try again; if it keeps happening, contact support with the reference ${requestId}.`;

/** Where the code is explained: its entry in the API reference (docs/api.md lists the same codes). */
function docsUrl(code: ErrorCode): string {
  return `${env().APP_URL}/docs/api#error-${code}`;
}

export function mapError(e: unknown, requestId: string, where: Record<string, unknown> = {}): MappedError {
  if (isDomainError(e)) {
    const headers = e instanceof RequestRefused ? { ...e.headers } : e instanceof RateLimited ? { "retry-after": String(e.retryAfterSeconds) } : {};
    return { status: e.status, code: e.code, message: e.message, ...(e.fields ? { details: e.fields } : {}), ...(e instanceof PlanLimitReached ? { limit: e.limit } : {}), headers };
  }
  log.error("request failed", { requestId, ...where, err: e });
  return { status: ERROR_CODES.internal_error.status, code: "internal_error", message: internalErrorMessage(requestId), headers: {} };
}

/** The one error body: `{ error: { code, message, details?, limit?, requestId, docs } }`. */
function errorBody(m: Pick<MappedError, "code" | "message" | "details" | "limit">, requestId: string): ErrorBody {
  return { error: { code: m.code, message: m.message, ...(m.details ? { details: m.details } : {}), ...(m.limit ? { limit: m.limit } : {}), requestId, docs: docsUrl(m.code) } };
}

/** A thrown error as a JSON answer with X-Request-Id (and Retry-After, Allow… where the error says). */
export function errorResponse(e: unknown, requestId: string, where: Record<string, unknown> = {}): Response {
  const m = mapError(e, requestId, where);
  return new Response(JSON.stringify(errorBody(m, requestId)), {
    status: m.status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-request-id": requestId, ...m.headers },
  });
}
