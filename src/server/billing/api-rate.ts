import { planOf } from "./limits";

/**
 * Each organization's API requests per minute, from its plan, remembered in this process for
 * 30 s: the rate check runs on every API request and the plan changes rarely, so a lookup per
 * organization per 30 s (not per request) is enough, and a plan change is felt within 30 s.
 * Nothing else depends on it, so several web processes each keeping their own copy is fine.
 */
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { limit: number; until: number }>();

export async function apiRateLimitOf(organizationId: string): Promise<number> {
  const now = Date.now();
  const hit = cache.get(organizationId);
  if (hit && hit.until > now) return hit.limit;
  const limit = (await planOf(organizationId)).limits.apiRequestsPerMinute;
  // Bounded: a burst of many organizations must not grow the map without end.
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(organizationId, { limit, until: now + TTL_MS });
  return limit;
}
