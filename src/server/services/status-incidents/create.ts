import { db } from "../../db/client";
import { statusIncidents, statusIncidentUpdates } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { publishIncident } from "../../status/timeline";
import { statusIncidentCreateSchema, type StatusIncidentCreateInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { loadIncidentViews, setIncidentComponents } from "./internal";
import type { StatusIncidentView } from "./view";

/** Writes an incident with its first update; published at once unless `publish: false` (a draft). */
export async function createStatusIncident({ ctx, pageId, input }: { ctx: Ctx; pageId: string; input: StatusIncidentCreateInput | unknown }): Promise<StatusIncidentView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusIncidentCreateSchema, input);
  const view = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId, { forUpdate: true });
    const now = new Date();
    const status = d.status ?? "investigating";
    let [incident] = await tx
      .insert(statusIncidents)
      .values({
        organizationId: ctx.org.id,
        pageId: page.id,
        title: d.title,
        impact: d.impact ?? "minor",
        status,
        resolvedAt: status === "resolved" ? now : null,
        createdById: ctx.actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await setIncidentComponents(tx, page.id, incident!.id, d.components ?? []);
    await tx.insert(statusIncidentUpdates).values({ incidentId: incident!.id, organizationId: ctx.org.id, status, body: d.body, createdById: ctx.actor.userId, createdAt: now });
    if (d.publish) incident = await publishIncident(tx, incident!, { body: d.body, actorUserId: ctx.actor.userId, now });
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_incident.created",
      targetType: "status_incident",
      targetId: incident!.id,
      metadata: { pageId: page.id, title: d.title, published: d.publish },
      meta: ctx.meta,
    });
    const [v] = await loadIncidentViews(tx, [incident!]);
    return v!;
  });
  await invalidateStatusPages({ pageIds: [pageId] });
  return view;
}
