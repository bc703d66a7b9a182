import { lt } from "drizzle-orm";
import { db } from "../db/client";
import { apiAccessLog } from "../db/schema";

/** API access log retention: 30 days until plans set their own. */
export async function purgeApiAccessLog(now = new Date(), days = 30): Promise<number> {
  const rows = await db()
    .delete(apiAccessLog)
    .where(lt(apiAccessLog.createdAt, new Date(now.getTime() - days * 86_400_000)))
    .returning({ id: apiAccessLog.id });
  return rows.length;
}
