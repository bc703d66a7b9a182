import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { db } from "../../db/client";
import { statusIncidents } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { getStatusPageOrThrow } from "../status-pages/internal";
import { loadIncidentViews } from "./internal";
import type { StatusIncidentView } from "./view";

export const INCIDENT_FILTERS = ["open", "resolved", "draft"] as const;
export type IncidentFilter = (typeof INCIDENT_FILTERS)[number];

const FILTER: Record<IncidentFilter, SQL> = {
  open: and(isNotNull(statusIncidents.publishedAt), isNull(statusIncidents.resolvedAt))!,
  resolved: isNotNull(statusIncidents.resolvedAt),
  draft: isNull(statusIncidents.publishedAt),
};

/**
 * Incidents newest first: one page's (`pageId`), or the organization's across its pages (the
 * Incidents page). `filter`: open = published and unresolved, resolved, draft.
 */
export async function listStatusIncidents({ ctx, pageId, filter, limit = 50 }: { ctx: Ctx; pageId?: string; filter?: IncidentFilter; limit?: number }): Promise<StatusIncidentView[]> {
  requirePermission(ctx, "org:read");
  if (pageId !== undefined) await getStatusPageOrThrow(db(), ctx.org.id, pageId);
  const rows = await db()
    .select()
    .from(statusIncidents)
    .where(and(eq(statusIncidents.organizationId, ctx.org.id), pageId !== undefined ? eq(statusIncidents.pageId, pageId) : undefined, filter ? FILTER[filter] : undefined))
    .orderBy(desc(statusIncidents.createdAt), desc(statusIncidents.id))
    .limit(Math.max(1, Math.min(200, limit)));
  return loadIncidentViews(db(), rows);
}
