import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getStatusPageOrThrow } from "../status-pages/internal";
import { getStatusIncidentOrThrow, loadIncidentViews } from "./internal";
import type { StatusIncidentView } from "./view";

export async function getStatusIncident({ ctx, pageId, incidentId }: { ctx: Ctx; pageId: string; incidentId: string }): Promise<StatusIncidentView> {
  requirePermission(ctx, "org:read");
  const page = await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  const [v] = await loadIncidentViews(db(), [await getStatusIncidentOrThrow(db(), ctx.org.id, page.id, incidentId)]);
  return v!;
}
