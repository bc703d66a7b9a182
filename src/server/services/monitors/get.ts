import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { requirePermission } from "../../auth/permissions";
import { getMonitorOrThrow } from "./internal";
import { toMonitorView, type MonitorView } from "./view";

export async function getMonitor({ ctx, monitorId }: { ctx: Ctx; monitorId: string }): Promise<MonitorView> {
  requirePermission(ctx, "org:read");
  return toMonitorView(await getMonitorOrThrow(db(), ctx.org.id, monitorId));
}
