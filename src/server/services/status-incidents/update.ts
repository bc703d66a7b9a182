import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { statusIncidents } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { statusIncidentUpdateSchema, type StatusIncidentUpdateInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { getStatusIncidentOrThrow, loadIncidentViews, setIncidentComponents } from "./internal";
import type { StatusIncidentView } from "./view";

/** Changes title, impact or components (replaced when given). The timeline moves by posting updates. */
export async function updateStatusIncident({
  ctx,
  pageId,
  incidentId,
  input,
}: {
  ctx: Ctx;
  pageId: string;
  incidentId: string;
  input: StatusIncidentUpdateInput | unknown;
}): Promise<StatusIncidentView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusIncidentUpdateSchema, input);
  const view = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId);
    const current = await getStatusIncidentOrThrow(tx, ctx.org.id, page.id, incidentId, { forUpdate: true });
    const [row] = await tx
      .update(statusIncidents)
      .set({ ...(d.title !== undefined ? { title: d.title } : {}), ...(d.impact !== undefined ? { impact: d.impact } : {}), updatedAt: new Date() })
      .where(eq(statusIncidents.id, current.id))
      .returning();
    if (d.components !== undefined) await setIncidentComponents(tx, page.id, current.id, d.components);
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_incident.updated",
      targetType: "status_incident",
      targetId: current.id,
      metadata: { pageId: page.id, fields: Object.keys(d).filter((k) => (d as Record<string, unknown>)[k] !== undefined) },
      meta: ctx.meta,
    });
    const [v] = await loadIncidentViews(tx, [row!]);
    return v!;
  });
  await invalidateStatusPages({ pageIds: [pageId] });
  return view;
}
