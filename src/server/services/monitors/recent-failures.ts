import { desc, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { checkFailures } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getMonitorOrThrow } from "./internal";

/** Recent failed checks with their messages. */
export async function recentFailures({ ctx, monitorId, limit = 20 }: { ctx: Ctx; monitorId: string; limit?: number }) {
  requirePermission(ctx, "org:read");
  const m = await getMonitorOrThrow(db(), ctx.org.id, monitorId);
  return db().select().from(checkFailures).where(eq(checkFailures.monitorId, m.id)).orderBy(desc(checkFailures.scheduledAt)).limit(Math.min(limit, 100));
}
