import { and, desc, eq, gte, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { apiAccessLog, apiKeys, memberships, users, type Role } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { scopesAllowedFor } from "../../auth/scopes";
import { toApiKeyView, type ApiKeyView } from "./view";

export type ApiKeyUsage = { requests24h: number; errors24h: number; recent: { method: string; route: string; status: number; latencyMs: number; ip: string | null; createdAt: string }[] };

/**
 * What a key can do right now: its creator's current role (null once they left) and the
 * granted scopes that role still allows — the same rule authentication applies per request.
 */
export type ApiKeyStanding = { creatorRole: Role | null; effectiveScopes: string[] };

const RECENT_PER_KEY = 10;

export async function listApiKeys({ ctx }: { ctx: Ctx }): Promise<(ApiKeyView & ApiKeyStanding & { usage: ApiKeyUsage })[]> {
  requirePermission(ctx, "api-keys:manage");
  const rows = await db()
    .select({ key: apiKeys, creator: { id: users.id, name: users.name, email: users.email }, creatorRole: memberships.role })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
    .leftJoin(memberships, and(eq(memberships.organizationId, apiKeys.organizationId), eq(memberships.userId, apiKeys.createdById)))
    .where(eq(apiKeys.organizationId, ctx.org.id))
    .orderBy(desc(apiKeys.createdAt))
    .limit(200);
  const since = new Date(Date.now() - 86_400_000);
  const counts = await db()
    .select({ keyId: apiAccessLog.apiKeyId, n: sql<number>`count(*)::int`, errors: sql<number>`count(*) filter (where ${apiAccessLog.status} >= 400)::int` })
    .from(apiAccessLog)
    .where(and(eq(apiAccessLog.organizationId, ctx.org.id), gte(apiAccessLog.createdAt, since)))
    .groupBy(apiAccessLog.apiKeyId);
  const byKey = new Map(counts.map((c) => [c.keyId, c]));
  // The last few requests of every listed key in one statement (not one query per key).
  const recent = rows.length
    ? await db().execute<{ api_key_id: string; method: string; route: string; status: number; latency_ms: number; ip: string | null; created_at: Date | string }>(sql`
        select l.api_key_id, l.method, l.route, l.status, l.latency_ms, l.ip, l.created_at
        from unnest(${sql.param(rows.map((r) => r.key.id))}::uuid[]) as k(id)
        cross join lateral (
          select * from ${apiAccessLog} a where a.api_key_id = k.id and a.organization_id = ${ctx.org.id}
          order by a.created_at desc, a.id desc limit ${RECENT_PER_KEY}
        ) l
        order by l.created_at desc, l.id desc`)
    : { rows: [] };
  const recentByKey = new Map<string, ApiKeyUsage["recent"]>();
  for (const a of recent.rows) {
    const list = recentByKey.get(a.api_key_id) ?? [];
    list.push({ method: a.method, route: a.route, status: a.status, latencyMs: a.latency_ms, ip: a.ip, createdAt: new Date(a.created_at).toISOString() });
    recentByKey.set(a.api_key_id, list);
  }
  return rows.map((r) => {
    const c = byKey.get(r.key.id);
    const allowed = new Set<string>(r.creatorRole ? scopesAllowedFor(r.creatorRole) : []);
    return {
      ...toApiKeyView(r.key, r.creator?.id ? r.creator : null),
      creatorRole: r.creatorRole,
      effectiveScopes: r.key.scopes.filter((s) => allowed.has(s)),
      usage: { requests24h: c?.n ?? 0, errors24h: c?.errors ?? 0, recent: recentByKey.get(r.key.id) ?? [] },
    };
  });
}
