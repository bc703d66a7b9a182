import type { Ctx } from "../../context";
import { db } from "../../db/client";
import { requirePermission } from "../../auth/permissions";
import { getMonitorOrThrow } from "./internal";
import { forReader, toMonitorViews, type MonitorView } from "./view";

export async function getMonitor({ ctx, monitorId }: { ctx: Ctx; monitorId: string }): Promise<MonitorView> {
  requirePermission(ctx, "org:read");
  const [view] = await toMonitorViews([await getMonitorOrThrow(db(), ctx.org.id, monitorId)]);
  return forReader(ctx, view!);
}
