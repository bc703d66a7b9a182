import { db } from "../../db/client";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import { invalidateStatusPages } from "../../status/invalidate";
import { postIncidentUpdate } from "../../status/timeline";
import { statusIncidentPostSchema, type StatusIncidentPostInput } from "../../validation/status-pages";
import { recordAudit } from "../audit/record";
import { getStatusPageOrThrow, touchStatusPage } from "../status-pages/internal";
import { getStatusIncidentOrThrow, loadIncidentViews, setIncidentComponents } from "./internal";
import type { StatusIncidentView } from "./view";

/** Posts an update to the timeline ("resolved" closes the incident); subscribers of a published incident are told. */
export async function postStatusIncidentUpdate({
  ctx,
  pageId,
  incidentId,
  input,
}: {
  ctx: Ctx;
  pageId: string;
  incidentId: string;
  input: StatusIncidentPostInput | unknown;
}): Promise<StatusIncidentView> {
  requirePermission(ctx, "status-pages:write");
  const d = parseInput(statusIncidentPostSchema, input);
  const view = await db().transaction(async (tx) => {
    const page = await getStatusPageOrThrow(tx, ctx.org.id, pageId);
    const current = await getStatusIncidentOrThrow(tx, ctx.org.id, page.id, incidentId, { forUpdate: true });
    if (d.components !== undefined) await setIncidentComponents(tx, page.id, current.id, d.components);
    const { incident, updateId } = await postIncidentUpdate(tx, current, { status: d.status, body: d.body, actorUserId: ctx.actor.userId });
    await touchStatusPage(tx, page.id);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "status_incident.update_posted",
      targetType: "status_incident",
      targetId: incident.id,
      metadata: { pageId: page.id, updateId, status: d.status },
      meta: ctx.meta,
    });
    const [v] = await loadIncidentViews(tx, [incident]);
    return v!;
  });
  await invalidateStatusPages({ pageIds: [pageId] });
  return view;
}
