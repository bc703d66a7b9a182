import { desc, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusMaintenances } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getStatusPageOrThrow } from "../status-pages/internal";
import { toStatusMaintenanceView, type StatusMaintenanceView } from "./view";

/** The page's maintenances, latest start first. */
export async function listStatusMaintenances({ ctx, pageId }: { ctx: Ctx; pageId: string }): Promise<StatusMaintenanceView[]> {
  requirePermission(ctx, "org:read");
  const page = await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  const rows = await db().select().from(statusMaintenances).where(eq(statusMaintenances.pageId, page.id)).orderBy(desc(statusMaintenances.startsAt), desc(statusMaintenances.id)).limit(500);
  const now = new Date();
  return rows.map((m) => toStatusMaintenanceView(m, now));
}
