import { db } from "../../db/client";
import { apiKeys } from "../../db/schema";
import { and, eq } from "drizzle-orm";
import { redis } from "../../redis";
import { STALE_TTL_SECONDS, authKey, staleKey } from "./authenticate";

/** Drops cached resolutions so a revocation or role change applies to the next request. */
export async function forgetApiKeyHashes(hashes: string[]): Promise<void> {
  if (!hashes.length) return;
  // The stale mark first, then the cached resolution; per key, so the keys may sit on different Redis Cluster nodes.
  await Promise.all(
    hashes.map(async (h) => {
      await redis().set(staleKey(h), "1", "EX", STALE_TTL_SECONDS);
      await redis().del(authKey(h));
    }),
  );
}

/** After a member's role changes or they leave: their keys re-resolve against the new role. */
export async function forgetApiKeysOf({ organizationId, userId }: { organizationId: string; userId: string }): Promise<void> {
  const rows = await db()
    .select({ hash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.createdById, userId)));
  await forgetApiKeyHashes(rows.map((r) => r.hash));
}
