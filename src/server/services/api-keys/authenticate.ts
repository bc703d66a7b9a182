import type { Ctx, RequestMeta } from "../../context";
import { pool } from "../../db/client";
import type { Role } from "../../db/schema";
import { Unauthorized } from "../../errors";
import { hashApiKey, isWellFormedKey } from "../../api/keys";
import { isScope, scopesAllowedFor, type Scope } from "../../api/scopes";
import { log } from "../../log";

export type ApiCaller = { ctx: Ctx; keyId: string; scopes: Scope[] };

/**
 * Resolves a bearer key to the organization and its creator, acting with the creator's
 * CURRENT role: a key never holds a scope its creator's role no longer allows, and stops
 * working when its creator leaves the organization. A malformed key (format or checksum)
 * is refused without a database query.
 */
export async function authenticateApiKey(key: string, meta: RequestMeta): Promise<ApiCaller> {
  if (!isWellFormedKey(key)) throw new Unauthorized("The API key is not a valid Perigee key (check for a copy-paste error).");
  const { rows } = await pool().query<{
    id: string;
    organization_id: string;
    scopes: string[];
    expires_at: Date | null;
    revoked_at: Date | null;
    last_used_at: Date | null;
    user_id: string;
    email: string;
    is_admin: boolean;
    role: Role | null;
    slug: string;
    org_name: string;
  }>({
    name: "perigee_api_key_auth",
    text: `select k.id, k.organization_id, k.scopes, k.expires_at, k.revoked_at, k.last_used_at, u.id as user_id, u.email, u.is_admin, m.role, o.slug, o.name as org_name
      from api_keys k join users u on u.id = k.created_by_id join organizations o on o.id = k.organization_id
      left join memberships m on m.organization_id = k.organization_id and m.user_id = k.created_by_id
      where k.key_hash = $1`,
    values: [hashApiKey(key)],
  });
  const k = rows[0];
  if (!k) throw new Unauthorized("The API key is unknown.");
  if (k.revoked_at) throw new Unauthorized("The API key has been revoked.");
  if (k.expires_at && k.expires_at.getTime() <= Date.now()) throw new Unauthorized(`The API key expired on ${k.expires_at.toISOString()}.`);
  if (!k.role) throw new Unauthorized("The API key's creator no longer belongs to this organization; ask an admin for a new key.");

  // At most one write a minute per key, never on the request's critical path.
  if (!k.last_used_at || Date.now() - k.last_used_at.getTime() > 60_000) {
    pool()
      .query({ name: "perigee_api_key_used", text: "update api_keys set last_used_at = now(), last_used_ip = $2 where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')", values: [k.id, meta.ip] })
      .catch((err: unknown) => log.warn("could not record API key use", { err }));
  }
  const allowed = new Set<string>(scopesAllowedFor(k.role));
  return {
    keyId: k.id,
    scopes: k.scopes.filter((s): s is Scope => isScope(s) && allowed.has(s)),
    ctx: { actor: { userId: k.user_id, email: k.email, isAdmin: false }, org: { id: k.organization_id, slug: k.slug, name: k.org_name, role: k.role }, meta },
  };
}
