/** A caller-supplied request id is kept only if it is short and plain (it goes into logs). */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request id rule: the caller's X-Request-Id when it is plain, else a fresh one. */
export function requestIdOf(given: string | null | undefined): string {
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
}
