import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Tx } from "../db/client";
import { statusIncidentComponents, statusIncidents, statusIncidentUpdates, statusPageComponents, statusPages } from "../db/schema";
import type { PageLanguage } from "./model";
import { postIncidentUpdate, publishIncident } from "./timeline";

/**
 * The engine's side of incidents written by people: when a monitor that is a component
 * goes DOWN, every page showing it gets a draft incident (an EDITOR publishes it with one
 * click, or it is published at once when the page auto-publishes); when the monitor
 * recovers, an unpublished draft is deleted and an incident only the engine has written to
 * is resolved. Both run in the engine's transaction, so the draft and the state commit together.
 */

const TEXT: Record<PageLanguage, { title: (c: string) => string; down: (c: string) => string; up: (c: string) => string }> = {
  en: {
    title: (c) => `${c} is down`,
    down: (c) => `${c} is not responding. We are investigating.`,
    up: (c) => `${c} is operating normally again.`,
  },
  de: {
    title: (c) => `${c} ist ausgefallen`,
    down: (c) => `${c} antwortet nicht. Wir untersuchen das Problem.`,
    up: (c) => `${c} funktioniert wieder normal.`,
  },
};

/** Returns the pages that changed (for the snapshot cache, after commit). */
export async function openDraftIncidents(tx: Tx, o: { organizationId: string; monitorId: string; monitorIncidentId: string; now: Date }): Promise<string[]> {
  const shown = await tx
    .select({ componentId: statusPageComponents.id, name: statusPageComponents.name, page: statusPages })
    .from(statusPageComponents)
    .innerJoin(statusPages, eq(statusPages.id, statusPageComponents.pageId))
    .where(and(eq(statusPageComponents.monitorId, o.monitorId), eq(statusPageComponents.organizationId, o.organizationId)));
  const changed: string[] = [];
  for (const { componentId, name, page } of shown) {
    const text = TEXT[page.language];
    const [draft] = await tx
      .insert(statusIncidents)
      .values({
        organizationId: o.organizationId,
        pageId: page.id,
        monitorIncidentId: o.monitorIncidentId,
        title: text.title(name),
        impact: "major",
        status: "investigating",
        createdAt: o.now,
        updatedAt: o.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!draft) continue;
    await tx.insert(statusIncidentComponents).values({ incidentId: draft.id, componentId, status: "major_outage" });
    if (page.autoPublishIncidents) await publishIncident(tx, draft, { body: text.down(name), actorUserId: null, now: o.now });
    changed.push(page.id);
  }
  return changed;
}

/** Returns the pages that changed. */
export async function closeDraftIncidents(tx: Tx, o: { monitorIncidentId: string; now: Date }): Promise<string[]> {
  // Unpublished drafts were never shown: they go.
  const dropped = await tx
    .delete(statusIncidents)
    .where(and(eq(statusIncidents.monitorIncidentId, o.monitorIncidentId), isNull(statusIncidents.publishedAt)))
    .returning({ pageId: statusIncidents.pageId });
  const open = await tx
    .select({ incident: statusIncidents, language: statusPages.language })
    .from(statusIncidents)
    .innerJoin(statusPages, eq(statusPages.id, statusIncidents.pageId))
    .where(and(eq(statusIncidents.monitorIncidentId, o.monitorIncidentId), isNotNull(statusIncidents.publishedAt), isNull(statusIncidents.resolvedAt)))
    .for("update", { of: statusIncidents });
  const changed = dropped.map((d) => d.pageId);
  if (!open.length) return changed;
  // A person who wrote to the timeline owns the incident: it is theirs to resolve.
  const touched = await tx
    .selectDistinct({ id: statusIncidentUpdates.incidentId })
    .from(statusIncidentUpdates)
    .where(
      and(
        inArray(
          statusIncidentUpdates.incidentId,
          open.map((o) => o.incident.id),
        ),
        isNotNull(statusIncidentUpdates.createdById),
      ),
    );
  const byPerson = new Set(touched.map((t) => t.id));
  for (const { incident, language } of open) {
    if (byPerson.has(incident.id)) continue;
    const [c] = await tx
      .select({ name: statusPageComponents.name })
      .from(statusIncidentComponents)
      .innerJoin(statusPageComponents, eq(statusPageComponents.id, statusIncidentComponents.componentId))
      .where(eq(statusIncidentComponents.incidentId, incident.id))
      .limit(1);
    await postIncidentUpdate(tx, incident, { status: "resolved", body: TEXT[language].up(c?.name ?? incident.title), actorUserId: null, now: o.now });
    changed.push(incident.pageId);
  }
  return changed;
}
