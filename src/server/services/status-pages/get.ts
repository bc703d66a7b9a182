import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getStatusPageOrThrow, loadStatusPageView } from "./internal";
import type { StatusPageView } from "./view";

export async function getStatusPage({ ctx, pageId }: { ctx: Ctx; pageId: string }): Promise<StatusPageView> {
  requirePermission(ctx, "org:read");
  return loadStatusPageView(db(), await getStatusPageOrThrow(db(), ctx.org.id, pageId));
}
