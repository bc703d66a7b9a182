import { db } from "../../db/client";
import { apiKeys } from "../../db/schema";
import { and, eq } from "drizzle-orm";
import { redis } from "../../redis";
import { STALE_TTL_SECONDS, authKey, staleKey } from "./authenticate";

/** Drops cached resolutions so a revocation or role change applies to the next request. */
export async function forgetApiKeyHashes(hashes: string[]): Promise<void> {
  if (!hashes.length) return;
  const m = redis().multi();
  for (const h of hashes) m.set(staleKey(h), "1", "EX", STALE_TTL_SECONDS).del(authKey(h));
  const res = await m.exec();
  const failed = res?.find(([err]) => err);
  if (!res || failed) throw failed?.[0] ?? new Error("could not invalidate cached API key resolutions");
}

/** After a member's role changes or they leave: their keys re-resolve against the new role. */
export async function forgetApiKeysOf({ organizationId, userId }: { organizationId: string; userId: string }): Promise<void> {
  const rows = await db()
    .select({ hash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.createdById, userId)));
  await forgetApiKeyHashes(rows.map((r) => r.hash));
}
