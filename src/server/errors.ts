/**
 * Typed domain errors. Services throw these; each transport (REST, server action, CLI)
 * maps them in one place. Anything else is an internal error: logged, never echoed.
 */
export type FieldErrors = Record<string, string[]>;

/**
 * Every error code Perigee answers, with its HTTP status. docs/api.md has an entry for each
 * (anchor `error-<code>`), and every error body links to it; a test keeps the two in step.
 */
export const ERROR_CODES = {
  invalid_input: { status: 400, summary: "The input is invalid; `details` names each field" },
  invalid_json: { status: 400, summary: "The request body is not valid JSON" },
  invalid_idempotency_key: { status: 400, summary: "Idempotency-Key must be 1–255 visible ASCII characters" },
  unauthorized: { status: 401, summary: "Missing, malformed, unknown, revoked or expired credentials" },
  forbidden: { status: 403, summary: "Your role does not allow this" },
  insufficient_scope: { status: 403, summary: "The API key lacks the operation's scope" },
  bad_origin: { status: 403, summary: "A browser request that did not come from Perigee's own pages" },
  not_found: { status: 404, summary: "No such resource, or another organization's" },
  method_not_allowed: { status: 405, summary: "The path exists but not with this method (see Allow)" },
  conflict: { status: 409, summary: "The resource's state does not allow this (e.g. a paused heartbeat monitor)" },
  idempotency_in_progress: { status: 409, summary: "A request with this Idempotency-Key is still running (see Retry-After)" },
  payload_too_large: { status: 413, summary: "The request body is larger than 256 KiB" },
  unsupported_media_type: { status: 415, summary: "A request body must be sent as Content-Type: application/json" },
  plan_limit_reached: { status: 402, summary: "The organization's plan does not allow this; `limit` names the limit, the plan and the upgrade" },
  idempotency_key_reused: { status: 422, summary: "This Idempotency-Key was used for a different request" },
  rate_limited: { status: 429, summary: "Too many requests (see Retry-After)" },
  internal_error: { status: 500, summary: "Something failed on our side; quote the requestId" },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly status: number;
  constructor(
    message: string,
    public readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  readonly code = "invalid_input";
  readonly status = 400;
}
export class Unauthorized extends DomainError {
  readonly code = "unauthorized";
  readonly status = 401;
}
export class Forbidden extends DomainError {
  readonly code = "forbidden";
  readonly status = 403;
}
export class NotFound extends DomainError {
  readonly code = "not_found";
  readonly status = 404;
}
export class Conflict extends DomainError {
  readonly code = "conflict";
  readonly status = 409;
}
/** What a plan refused: the limit, the plan, the figures and where to upgrade. */
export type PlanLimitInfo = { name: string; plan: string; allowed: number | null; current?: number; requested?: number; upgradePlan: string | null; upgradeUrl: string };

export class PlanLimitReached extends DomainError {
  readonly code = "plan_limit_reached";
  readonly status = 402;
  constructor(
    message: string,
    public readonly limit: PlanLimitInfo,
  ) {
    super(message);
  }
}
export class RateLimited extends DomainError {
  readonly code = "rate_limited";
  readonly status = 429;
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * A refusal by the transport itself (unsupported media type, body too large, wrong method…):
 * any code of the catalog, its status from there, and the headers the answer must carry.
 */
export class RequestRefused extends DomainError {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    fields?: FieldErrors,
  ) {
    super(message, fields);
    this.status = ERROR_CODES[code].status;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** Turns a zod error into field-level messages. */
export function fieldErrorsFrom(issues: { path: PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = i.path.map(String).join(".") || "_form";
    (out[key] ??= []).push(i.message);
  }
  return out;
}
