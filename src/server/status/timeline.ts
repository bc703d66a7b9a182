import { eq } from "drizzle-orm";
import type { Tx } from "../db/client";
import { statusIncidentComponents, statusIncidents, statusIncidentUpdates, type StatusIncident } from "../db/schema";
import type { IncidentStatus } from "./model";
import { recordNotice } from "./notices";

/**
 * The two moves of an incident's timeline, shared by the services (people) and the draft
 * hook (the engine), each in the caller's transaction with its notice: publishing a draft
 * and posting an update. Only published incidents tell subscribers anything.
 */

async function componentIds(tx: Tx, incidentId: string): Promise<string[]> {
  const rows = await tx.select({ id: statusIncidentComponents.componentId }).from(statusIncidentComponents).where(eq(statusIncidentComponents.incidentId, incidentId));
  return rows.map((r) => r.id);
}

/** Publishes a draft: its first update (when it has none) and the incident_published notice. Publishing twice changes nothing. */
export async function publishIncident(tx: Tx, incident: StatusIncident, opts: { body: string; actorUserId: string | null; now?: Date }): Promise<StatusIncident> {
  if (incident.publishedAt) return incident;
  const now = opts.now ?? new Date();
  const has = await tx.select({ id: statusIncidentUpdates.id }).from(statusIncidentUpdates).where(eq(statusIncidentUpdates.incidentId, incident.id)).limit(1);
  let updateId = has[0]?.id;
  if (!updateId) {
    const [u] = await tx
      .insert(statusIncidentUpdates)
      .values({ incidentId: incident.id, organizationId: incident.organizationId, status: incident.status, body: opts.body, createdById: opts.actorUserId, createdAt: now })
      .returning({ id: statusIncidentUpdates.id });
    updateId = u!.id;
  }
  const [row] = await tx.update(statusIncidents).set({ publishedAt: now, updatedAt: now }).where(eq(statusIncidents.id, incident.id)).returning();
  await recordNotice(tx, {
    organizationId: incident.organizationId,
    pageId: incident.pageId,
    kind: "incident_published",
    incidentId: incident.id,
    updateId,
    componentIds: await componentIds(tx, incident.id),
  });
  return row!;
}

/**
 * Adds an update to the timeline and moves the incident to its status ("resolved" closes it,
 * another status reopens it). A published incident tells its subscribers.
 */
export async function postIncidentUpdate(
  tx: Tx,
  incident: StatusIncident,
  u: { status: IncidentStatus; body: string; actorUserId: string | null; now?: Date },
): Promise<{ incident: StatusIncident; updateId: string }> {
  const now = u.now ?? new Date();
  const [upd] = await tx
    .insert(statusIncidentUpdates)
    .values({ incidentId: incident.id, organizationId: incident.organizationId, status: u.status, body: u.body, createdById: u.actorUserId, createdAt: now })
    .returning({ id: statusIncidentUpdates.id });
  const resolved = u.status === "resolved";
  const [row] = await tx
    .update(statusIncidents)
    .set({ status: u.status, resolvedAt: resolved ? (incident.resolvedAt ?? now) : null, updatedAt: now })
    .where(eq(statusIncidents.id, incident.id))
    .returning();
  if (incident.publishedAt) {
    await recordNotice(tx, {
      organizationId: incident.organizationId,
      pageId: incident.pageId,
      kind: resolved ? "incident_resolved" : "incident_updated",
      incidentId: incident.id,
      updateId: upd!.id,
      componentIds: await componentIds(tx, incident.id),
    });
  }
  return { incident: row!, updateId: upd!.id };
}
