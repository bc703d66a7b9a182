import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { statusIncidentComponents, statusIncidents, statusIncidentUpdates, statusPageComponents, type StatusIncident } from "../../db/schema";
import { NotFound } from "../../errors";
import type { ComponentStatus } from "../../status/model";
import { isUuid } from "../status-pages/internal";
import { toStatusIncidentView, type StatusIncidentView } from "./view";

/** Scoped fetch-or-throw: the incident must be on this page of this organization. */
export async function getStatusIncidentOrThrow(tx: DbOrTx, organizationId: string, pageId: string, incidentId: string, opts: { forUpdate?: boolean } = {}): Promise<StatusIncident> {
  if (!isUuid(incidentId)) throw new NotFound("Incident not found.");
  const q = tx
    .select()
    .from(statusIncidents)
    .where(and(eq(statusIncidents.id, incidentId), eq(statusIncidents.pageId, pageId), eq(statusIncidents.organizationId, organizationId)))
    .limit(1);
  const [i] = opts.forUpdate ? await q.for("update") : await q;
  if (!i) throw new NotFound("Incident not found.");
  return i;
}

/** Replaces the incident's components; each must be a component of the incident's page. */
export async function setIncidentComponents(tx: DbOrTx, pageId: string, incidentId: string, components: { componentId: string; status?: ComponentStatus | null }[]): Promise<void> {
  const ids = [...new Set(components.map((c) => c.componentId))];
  if (ids.length) {
    const own = await tx
      .select({ id: statusPageComponents.id })
      .from(statusPageComponents)
      .where(and(eq(statusPageComponents.pageId, pageId), inArray(statusPageComponents.id, ids)));
    const known = new Set(own.map((c) => c.id));
    const bad = components.findIndex((c) => !known.has(c.componentId));
    if (bad >= 0) throw new NotFound("Component not found.", { [`components.${bad}.componentId`]: ["No such component on this page"] });
  }
  await tx.delete(statusIncidentComponents).where(eq(statusIncidentComponents.incidentId, incidentId));
  const byId = new Map(components.map((c) => [c.componentId, c.status ?? null]));
  if (byId.size) await tx.insert(statusIncidentComponents).values([...byId].map(([componentId, status]) => ({ incidentId, componentId, status })));
}

/** Views with components (by page position) and updates, for any number of incidents. */
export async function loadIncidentViews(tx: DbOrTx, incidents: StatusIncident[]): Promise<StatusIncidentView[]> {
  if (!incidents.length) return [];
  const ids = incidents.map((i) => i.id);
  const [components, updates] = await Promise.all([
    tx
      .select({ incidentId: statusIncidentComponents.incidentId, componentId: statusIncidentComponents.componentId, status: statusIncidentComponents.status, name: statusPageComponents.name })
      .from(statusIncidentComponents)
      .innerJoin(statusPageComponents, eq(statusPageComponents.id, statusIncidentComponents.componentId))
      .where(inArray(statusIncidentComponents.incidentId, ids))
      .orderBy(asc(statusPageComponents.position)),
    tx.select().from(statusIncidentUpdates).where(inArray(statusIncidentUpdates.incidentId, ids)),
  ]);
  return incidents.map((i) =>
    toStatusIncidentView(
      i,
      components.filter((c) => c.incidentId === i.id).map(({ componentId, name, status }) => ({ componentId, name, status })),
      updates.filter((u) => u.incidentId === i.id),
    ),
  );
}
