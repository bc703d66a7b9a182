import type { Ctx, RequestMeta } from "../../context";
import { pool } from "../../db/client";
import { type Role } from "../../db/schema";
import { RateLimited, Unauthorized } from "../../errors";
import { hashApiKey, isWellFormedKey } from "../../api/keys";
import { rateStateOf, type RateState } from "../../api/rate-limit";
import { apiRateLimitOf } from "../../billing/api-rate";
import { isScope, scopesAllowedFor, type Scope } from "../../auth/scopes";
import { log } from "../../log";
import { redis } from "../../redis";
import { verifiedValue, withMac } from "../../auth/redis-mac";

export type ApiCaller = { ctx: Ctx; keyId: string; scopes: Scope[]; rate: RateState };

/**
 * A refused key. When the key exists (revoked, expired, creator gone) the refusal names it
 * and its organization, so the request lands in that organization's access log: an admin can
 * see that something still uses a revoked key. Unknown and malformed keys name no tenant.
 */
export class ApiKeyRefused extends Unauthorized {
  constructor(
    message: string,
    readonly key: { id: string; organizationId: string } | null = null,
  ) {
    super(message);
  }
}

type Resolved = { id: string; organizationId: string; slug: string; orgName: string; scopes: string[]; expiresAt: string | null; userId: string; email: string; role: Role };

const AUTH_TTL_SECONDS = 60;

/** Outlives any cache entry a request racing an invalidation could still write. */
export const STALE_TTL_SECONDS = 2 * AUTH_TTL_SECONDS;

export const authKey = (hash: string) => `api:auth:${hash}`;

export const staleKey = (hash: string) => `api:stale:${hash}`;

/**
 * The checksum only stops typos: anyone can mint well-formed keys. Each unknown one costs a
 * database lookup, so one address gets this many a minute before it is told to slow down.
 */
export const UNKNOWN_KEYS_PER_IP_PER_MINUTE = 30;

const badKeyIpKey = (ip: string, window: number) => `api:badkey:${ip}:${window}`;

/**
 * Resolves a bearer key to the organization and its creator, acting with the creator's
 * CURRENT role: a key never holds a scope its creator's role no longer allows, and stops
 * working when its creator leaves the organization. A malformed key (format or checksum)
 * is refused before any database or Redis call.
 *
 * One Redis round trip per request carries the rate-limit count (against the organization's
 * plan's figure, remembered in process: billing/api-rate.ts), the "last used" throttle
 * and a 60-second cache of the key's resolution (MAC'd, see auth/redis-mac.ts); revocation, role changes and removals
 * delete the cached entries (forgetApiKeys*), so they still take effect on the next request.
 * They also leave a short "stale" mark: a request that read the key from the database just
 * before the change and caches it just after cannot bring the old resolution back, because
 * while the mark lives the key is resolved from the database and never cached.
 */
export async function authenticateApiKey({ key, meta }: { key: string; meta: RequestMeta }): Promise<ApiCaller> {
  if (!isWellFormedKey(key)) throw new ApiKeyRefused("The API key is not a valid Perigee key (check for a copy-paste error).");
  const hash = hashApiKey(key);
  const window = Math.floor(Date.now() / 60_000);
  const rateKey = `api:rate:${hash.slice(0, 32)}:${window}`;
  // One round trip (ioredis pipelines what is sent in one tick); one key per command, so a Redis Cluster serves it too.
  const rc = redis();
  const [cachedRaw, rate, used, staleCount, badCount] = await Promise.all([
    rc.get(authKey(hash)),
    rc.multi().incr(rateKey).expire(rateKey, 61, "NX").exec(),
    rc.set(`api:used:${hash.slice(0, 32)}`, "1", "EX", 60, "NX"),
    rc.exists(staleKey(hash)),
    rc.get(badKeyIpKey(meta.ip ?? "unknown", window)),
  ]);
  // A resolution is trusted only with a valid MAC: whoever can write Redis cannot mint one.
  const cached = verifiedValue(authKey(hash), cachedRaw);
  const count = Number(rate?.[0]?.[1] ?? 0);
  const firstUseThisMinute = used === "OK";
  const stale = staleCount > 0;
  const unknownFromIp = Number(badCount ?? 0);

  let k: Resolved;
  const hit = cached ? (JSON.parse(cached) as Resolved | Refused) : null;
  // A cached final refusal is right even under a stale mark; a cached resolution is not.
  if (hit && "refused" in hit) throw new ApiKeyRefused(hit.refused, hit.key ?? null);
  if (hit && !stale) k = hit;
  else {
    if (unknownFromIp >= UNKNOWN_KEYS_PER_IP_PER_MINUTE) {
      const retry = 60 - Math.floor((Date.now() / 1000) % 60);
      throw new RateLimited(`Too many unknown API keys from this address. Retry after ${retry} s.`, retry);
    }
    const r = await resolveFromDb(hash);
    // One round trip: cache what may be cached, and count a key that matches none.
    const bad = badKeyIpKey(meta.ip ?? "unknown", window);
    await Promise.all([
      ("refused" in r ? r.final : !stale) ? redis().set(authKey(hash), withMac(authKey(hash), JSON.stringify(r)), "EX", AUTH_TTL_SECONDS) : null,
      "refused" in r && !r.key ? redis().multi().incr(bad).expire(bad, 61, "NX").exec() : null,
    ]);
    if ("refused" in r) throw new ApiKeyRefused(r.refused, r.key ?? null);
    k = r;
  }
  if (k.expiresAt && Date.parse(k.expiresAt) <= Date.now()) throw new ApiKeyRefused(`The API key expired on ${k.expiresAt}.`, { id: k.id, organizationId: k.organizationId });

  if (firstUseThisMinute) {
    // At most one write a minute per key, never on the request's critical path.
    pool()
      .query({ name: "perigee_api_key_used", text: "update api_keys set last_used_at = now(), last_used_ip = $2 where id = $1", values: [k.id, meta.ip] })
      .catch((err: unknown) => log.warn("could not record API key use", { err }));
  }
  const allowed = new Set<string>(scopesAllowedFor(k.role));
  const scopes = k.scopes.filter((s): s is Scope => isScope(s) && allowed.has(s));
  return {
    keyId: k.id,
    scopes,
    rate: rateStateOf(count, await apiRateLimitOf(k.organizationId)),
    ctx: { actor: { userId: k.userId, email: k.email, isAdmin: false }, org: { id: k.organizationId, slug: k.slug, name: k.orgName, role: k.role }, meta, scopes },
  };
}

/**
 * A refusal. Unknown and revoked keys stay refused for good, so that answer is cached too: a
 * client retrying a dead key costs no database query. A creator who left may come back, so
 * that refusal is not cached.
 */
type Refused = { refused: string; final: boolean; key?: { id: string; organizationId: string } };

async function resolveFromDb(hash: string): Promise<Resolved | Refused> {
  const { rows } = await pool().query<{
    id: string;
    organization_id: string;
    scopes: string[];
    expires_at: Date | null;
    revoked_at: Date | null;
    user_id: string;
    email: string;
    role: Role | null;
    slug: string;
    org_name: string;
    deleted: boolean;
  }>({
    name: "perigee_api_key_auth",
    text: `select k.id, k.organization_id, k.scopes, k.expires_at, k.revoked_at, u.id as user_id, u.email, m.role, o.slug, o.name as org_name,
        (o.deleted_at is not null or u.deleted_at is not null) as deleted
      from api_keys k join users u on u.id = k.created_by_id join organizations o on o.id = k.organization_id
      left join memberships m on m.organization_id = k.organization_id and m.user_id = k.created_by_id
      where k.key_hash = $1`,
    values: [hash],
  });
  const k = rows[0];
  if (!k) return { refused: "The API key is unknown.", final: true };
  const key = { id: k.id, organizationId: k.organization_id };
  if (k.revoked_at) return { refused: "The API key has been revoked.", final: true, key };
  // Not final: a deletion can be undone within its grace period (issue 13).
  if (k.deleted) return { refused: "The API key's organization or creator has been deleted.", final: false, key };
  if (!k.role) return { refused: "The API key's creator no longer belongs to this organization; ask an admin for a new key.", final: false, key };
  return {
    id: k.id,
    organizationId: k.organization_id,
    slug: k.slug,
    orgName: k.org_name,
    scopes: k.scopes,
    expiresAt: k.expires_at?.toISOString() ?? null,
    userId: k.user_id,
    email: k.email,
    role: k.role,
  };
}
