import { and, desc, eq, gte, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { apiAccessLog, apiKeys, users } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { toApiKeyView, type ApiKeyView } from "./view";

export type ApiKeyUsage = { requests24h: number; errors24h: number; recent: { method: string; route: string; status: number; latencyMs: number; ip: string | null; createdAt: string }[] };

export async function listApiKeys({ ctx }: { ctx: Ctx }): Promise<(ApiKeyView & { usage: ApiKeyUsage })[]> {
  requirePermission(ctx, "api-keys:manage");
  const rows = await db()
    .select({ key: apiKeys, creator: { id: users.id, name: users.name, email: users.email } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdById))
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
  const out = [];
  for (const r of rows) {
    const recent = await db().select().from(apiAccessLog).where(eq(apiAccessLog.apiKeyId, r.key.id)).orderBy(desc(apiAccessLog.id)).limit(10);
    const c = byKey.get(r.key.id);
    out.push({
      ...toApiKeyView(r.key, r.creator?.id ? r.creator : null),
      usage: {
        requests24h: c?.n ?? 0,
        errors24h: c?.errors ?? 0,
        recent: recent.map((a) => ({ method: a.method, route: a.route, status: a.status, latencyMs: a.latencyMs, ip: a.ip, createdAt: a.createdAt.toISOString() })),
      },
    });
  }
  return out;
}
