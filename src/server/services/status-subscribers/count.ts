import { count, eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { statusSubscribers } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getStatusPageOrThrow } from "../status-pages/internal";
import type { SubscriberCount } from "./view";

/** How many follow the page, by kind, confirmed (double opt-in done) or pending. */
export async function countStatusSubscribers({ ctx, pageId }: { ctx: Ctx; pageId: string }): Promise<SubscriberCount> {
  requirePermission(ctx, "org:read");
  const page = await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  const rows = await db()
    .select({ kind: statusSubscribers.kind, confirmed: sql<boolean>`${statusSubscribers.confirmedAt} is not null`, n: count() })
    .from(statusSubscribers)
    .where(eq(statusSubscribers.pageId, page.id))
    .groupBy(statusSubscribers.kind, sql`${statusSubscribers.confirmedAt} is not null`);
  const out: SubscriberCount = { email: { confirmed: 0, pending: 0 }, webhook: { confirmed: 0, pending: 0 }, total: 0 };
  for (const r of rows) {
    out[r.kind][r.confirmed ? "confirmed" : "pending"] += Number(r.n);
    if (r.confirmed) out.total += Number(r.n);
  }
  return out;
}
