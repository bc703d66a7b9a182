import { eq } from "drizzle-orm";
import type { RequestMeta } from "../../context";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import { Forbidden, NotFound, RateLimited } from "../../errors";
import { log } from "../../log";
import { exportDocument, membershipsOf } from "../../privacy/export";
import { coalesce, type Chunks } from "../../privacy/json-stream";
import { redis } from "../../redis";
import { recordAudit } from "../audit/record";

export type ExportInput = {
  /** "dashboard": the signed-in person, every organization they administer. "api": a key, its organization only. */
  via: "dashboard" | "api";
  /** With an API key: the key's organization (a key never reaches beyond it). */
  organizationId?: string;
};

/**
 * An export reads a whole organization; one at a time per person keeps that from being a
 * lever. The lock is short and renewed while the document streams, so an answer nobody reads
 * holds it two minutes at most.
 */
const LOCK_SECONDS = 120;
const RENEW_MS = 30_000;
const lockKey = (userId: string) => `export:running:${userId}`;

/**
 * The user's data export (docs/export.md): their profile and memberships, and every record of
 * each organization they are ADMIN of — membership only where they are not. Records who
 * exported what (the user's own log and each exported organization's audit log) before the
 * first byte is written; the document itself is streamed by the caller.
 */
export async function exportAccount({ userId, input, meta }: { userId: string; input: ExportInput; meta: RequestMeta }): Promise<{ filename: string; chunks: Chunks }> {
  const [user] = await db().select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.deletedAt) throw new NotFound("No such account.");
  let mine = await membershipsOf(userId);
  if (input.via === "api") {
    mine = mine.filter((m) => m.organization.id === input.organizationId);
    if (mine[0]?.role !== "ADMIN") throw new Forbidden("Only an ADMIN of the organization can export its data.");
  }
  const full = mine.filter((m) => m.role === "ADMIN").map((m) => m.organization);

  if ((await redis().set(lockKey(userId), "1", "EX", LOCK_SECONDS, "NX")) !== "OK") throw new RateLimited("An export of your data is already running; wait for it to finish, then try again.", 60);
  try {
    await db().transaction(async (tx) => {
      const metadata = { via: input.via, organizations: full.map((o) => o.id) };
      await recordAudit(tx, { organizationId: null, actorUserId: userId, action: "account.exported", targetType: "user", targetId: userId, metadata, meta });
      for (const o of full)
        await recordAudit(tx, { organizationId: o.id, actorUserId: userId, action: "organization.exported", targetType: "organization", targetId: o.id, metadata: { via: input.via }, meta });
    });
  } catch (e) {
    await redis().del(lockKey(userId));
    throw e;
  }

  const now = new Date();
  const doc = exportDocument({ user, memberships: mine, full, via: input.via, now });
  async function* locked(): Chunks {
    try {
      // The caller receives the generator already past this point, so closing it unread still releases the lock.
      yield "";
      let renewed = Date.now();
      for await (const chunk of coalesce(doc)) {
        if (Date.now() - renewed > RENEW_MS) {
          renewed = Date.now();
          await redis().expire(lockKey(userId), LOCK_SECONDS);
        }
        yield chunk;
      }
    } catch (e) {
      // The answer has started: the client sees a cut-off download; the log says why.
      log.error("export failed while streaming", { userId, err: e });
      throw e;
    } finally {
      await redis()
        .del(lockKey(userId))
        .catch(() => undefined);
    }
  }
  const chunks = locked();
  await chunks.next();
  return { filename: `perigee-export-${now.toISOString().slice(0, 10)}.json`, chunks };
}
