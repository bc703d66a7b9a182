/**
 * Typed domain errors. Services throw these; each transport (REST, server action, CLI)
 * maps them in one place. Anything else is an internal error: logged, never echoed.
 */
export type FieldErrors = Record<string, string[]>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
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
export class LimitExceeded extends DomainError {
  readonly code = "limit_exceeded";
  readonly status = 422;
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
