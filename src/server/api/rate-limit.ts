import { env } from "../env";
import { redis } from "../redis";

export type RateState = { limit: number; remaining: number; resetSeconds: number; limited: boolean };

/**
 * Fixed one-minute window per key in Redis (INCR + EXPIRE in one round trip). Answers the
 * IETF RateLimit-* header values; `limited` once the key is over its limit.
 */
export async function consumeRate(keyId: string, limit = env().API_RATE_LIMIT_PER_MINUTE): Promise<RateState> {
  const window = Math.floor(Date.now() / 60_000);
  const k = `api:rate:${keyId}:${window}`;
  const res = await redis().multi().incr(k).expire(k, 61, "NX").exec();
  const count = Number(res?.[0]?.[1] ?? 0);
  const resetSeconds = Math.max(1, 60 - Math.floor((Date.now() % 60_000) / 1000));
  return { limit, remaining: Math.max(0, limit - count), resetSeconds, limited: count > limit };
}

export function rateHeaders(r: RateState): Record<string, string> {
  return { "RateLimit-Limit": String(r.limit), "RateLimit-Remaining": String(r.remaining), "RateLimit-Reset": String(r.resetSeconds), "RateLimit-Policy": `${r.limit};w=60` };
}
