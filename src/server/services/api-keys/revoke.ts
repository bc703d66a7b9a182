import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client";
import { apiKeys } from "../../db/schema";
import type { Ctx } from "../../context";
import { NotFound } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { recordAudit } from "../audit/record";
import { forgetApiKeyHashes } from "./forget";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes a key at once: the next request with it is refused. */
export async function revokeApiKey({ ctx, keyId }: { ctx: Ctx; keyId: string }): Promise<void> {
  requirePermission(ctx, "api-keys:manage");
  if (!UUID.test(keyId)) throw new NotFound("API key not found.");
  const hash = await db().transaction(async (tx) => {
    const [k] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.organizationId, ctx.org.id), isNull(apiKeys.revokedAt)))
      .returning();
    if (!k) {
      const [exists] = await tx
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.id, keyId), eq(apiKeys.organizationId, ctx.org.id)));
      if (!exists) throw new NotFound("API key not found.");
      return null; // already revoked
    }
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: k.id,
      metadata: { name: k.name, prefix: k.prefix },
      meta: ctx.meta,
    });
    return k.keyHash;
  });
  // The key's cached resolution goes too: the very next request with it is refused.
  if (hash) await forgetApiKeyHashes([hash]);
}
