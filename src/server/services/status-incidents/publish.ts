import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { publishIncident } from "../../status/timeline";
import { statusIncidentPublishSchema, type StatusIncidentPublishInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { getStatusIncidentOrThrow, loadIncidentViews } from "./internal";
import type { StatusIncidentView } from "./view";

const DEFAULT_BODY = "We are investigating this issue and will post updates here.";

/** Publishes a draft (one click): subscribers are told. An incident already published is returned unchanged. */
export async function publishStatusIncident({
  ctx,
  pageId,
  incidentId,
  input = {},
}: {
  ctx: Ctx;
  pageId: string;
  incidentId: string;
  input?: StatusIncidentPublishInput | unknown;
}): Promise<StatusIncidentView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusIncidentPublishSchema, input);
  let changed = false;
  const view = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId);
    let incident = await getStatusIncidentOrThrow(tx, ctx.org.id, page.id, incidentId, { forUpdate: true });
    if (!incident.publishedAt) {
      changed = true;
      incident = await publishIncident(tx, incident, { body: d.body ?? DEFAULT_BODY, actorUserId: ctx.actor.userId });
      await touchStatusPage(tx, page.id);
      await recordAudit(tx, {
        organizationId: ctx.org.id,
        actorUserId: ctx.actor.userId,
        action: "status_incident.published",
        targetType: "status_incident",
        targetId: incident.id,
        metadata: { pageId: page.id, title: incident.title },
        meta: ctx.meta,
      });
    }
    const [v] = await loadIncidentViews(tx, [incident]);
    return v!;
  });
  if (changed) await invalidateStatusPages({ pageIds: [pageId] });
  return view;
}
