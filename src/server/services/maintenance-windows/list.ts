import { desc, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { maintenanceWindows } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { windowCovers } from "../../monitors/maintenance";

export async function listMaintenanceWindows({ ctx, now = new Date() }: { ctx: Ctx; now?: Date }) {
  requirePermission(ctx, "org:read");
  const rows = await db().select().from(maintenanceWindows).where(eq(maintenanceWindows.organizationId, ctx.org.id)).orderBy(desc(maintenanceWindows.createdAt));
  // "Active now" for a window with a monitor list means: active for at least one listed monitor.
  return rows.map((w) => ({ ...w, activeNow: windowCovers({ ...w, monitorIds: [] }, "", now) }));
}
