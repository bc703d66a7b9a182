export type RateState = { limit: number; remaining: number; resetSeconds: number; limited: boolean };

/**
 * Fixed one-minute window per key, counted in Redis by authenticateApiKey (in the same round
 * trip as the key lookup). Answers the IETF RateLimit-* header values.
 */
export function rateStateOf(count: number, limit: number): RateState {
  const resetSeconds = Math.max(1, 60 - Math.floor((Date.now() % 60_000) / 1000));
  return { limit, remaining: Math.max(0, limit - count), resetSeconds, limited: count > limit };
}

export function rateHeaders(r: RateState): Record<string, string> {
  return { "RateLimit-Limit": String(r.limit), "RateLimit-Remaining": String(r.remaining), "RateLimit-Reset": String(r.resetSeconds), "RateLimit-Policy": `${r.limit};w=60` };
}
