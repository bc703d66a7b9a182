import type { z } from "zod";
import type { ErrorCode } from "../errors";
import type { Scope } from "../auth/scopes";

type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * One REST operation, declared once in its route file (src/app/api/v1/…/route.ts). The
 * /api/v1 dispatcher routes by it, the wrapper enforces its scope and query schema, the
 * OpenAPI document is built from it and the API tests check real answers against it.
 */
export type OperationDecl = {
  method: HttpMethod;
  /** The full path with `{param}` placeholders, e.g. `/api/v1/monitors/{id}`. */
  path: string;
  scope: Scope;
  summary: string;
  description?: string;
  /** Path parameter → description (each an id). */
  params?: Record<string, string>;
  /** Query parameters; anything not in the object is refused. */
  query?: z.ZodObject;
  /** The JSON body (PATCH: any subset of its fields). */
  body?: z.ZodType;
  response: { status: number; schema?: z.ZodType; description: string };
  /** The error codes the operation's own logic answers (not_found, plan_limit_reached…). */
  errors?: ErrorCode[];
};

export const acceptsBody = (method: HttpMethod) => method === "POST" || method === "PATCH" || method === "PUT";

/** Every code an operation can answer: its own, plus those of authentication, input and idempotency. */
export function errorCodesOf(op: OperationDecl): ErrorCode[] {
  const codes: ErrorCode[] = ["invalid_input", "unauthorized", "insufficient_scope", "rate_limited"];
  if (acceptsBody(op.method)) codes.push("invalid_json", "payload_too_large", "unsupported_media_type");
  if (op.method === "POST") codes.push("invalid_idempotency_key", "idempotency_in_progress", "idempotency_key_reused");
  return [...new Set([...codes, ...(op.errors ?? [])])];
}
