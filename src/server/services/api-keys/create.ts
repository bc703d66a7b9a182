import { db } from "../../db/client";
import { apiKeys } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { generateApiKey } from "../../api/keys";
import { scopesAllowedFor } from "../../auth/scopes";
import { parseInput } from "../../lib/parse";
import { apiKeyInputSchema } from "../../validation/api-keys";
import { recordAudit } from "../audit/record";
import { toApiKeyView, type ApiKeyView } from "./view";

/** Creates a key. The key itself is in this answer only; the database keeps its SHA-256. */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<ApiKeyView & { key: string }> {
  requirePermission(ctx, "api-keys:manage");
  const d = parseInput(apiKeyInputSchema, input);
  const allowed = new Set<string>(scopesAllowedFor(ctx.org.role));
  const beyond = d.scopes.filter((s) => !allowed.has(s));
  if (beyond.length) {
    const msg = `Your role (${ctx.org.role}) cannot grant ${beyond.join(", ")}`;
    throw new Invalid(msg, { scopes: [msg] });
  }
  const { key, prefix, hash } = generateApiKey();
  const row = await db().transaction(async (tx) => {
    const [k] = await tx
      .insert(apiKeys)
      .values({ organizationId: ctx.org.id, createdById: ctx.actor.userId, name: d.name, prefix, keyHash: hash, scopes: d.scopes, expiresAt: d.expiresAt ?? null })
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "api_key.created",
      targetType: "api_key",
      targetId: k!.id,
      metadata: { name: d.name, prefix, scopes: d.scopes },
      meta: ctx.meta,
    });
    return k!;
  });
  return { ...toApiKeyView(row, { id: ctx.actor.userId, name: null, email: ctx.actor.email }), key };
}
