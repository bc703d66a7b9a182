import { and, asc, eq, inArray } from "drizzle-orm";
import { db } from "../../db/client";
import { incidentNotes, monitors, statusIncidents, statusIncidentUpdates, statusPages, users } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import type { IncidentImpact, IncidentStatus } from "../../status/model";
import { getIncidentOrThrow } from "./internal";

export type TimelineEntry =
  | { kind: "opened"; at: Date; cause: string | null }
  | { kind: "regions_down"; at: Date; regions: string[] }
  | { kind: "acknowledged"; at: Date; by: string }
  | { kind: "note"; at: Date; by: string; body: string }
  | { kind: "status_incident"; at: Date; pageId: string; pageName: string; statusIncidentId: string; title: string; published: boolean }
  | { kind: "status_published"; at: Date; pageName: string; statusIncidentId: string }
  | { kind: "status_update"; at: Date; pageName: string; statusIncidentId: string; status: IncidentStatus; body: string; by: string | null }
  | { kind: "closed"; at: Date; durationSeconds: number | null };

/**
 * One monitor incident with everything that happened to it, oldest first: opened (and in which
 * regions), acknowledged by whom, internal notes, the status-page incident(s) it became with
 * their published updates, closed.
 */
export async function getIncidentTimeline({ ctx, incidentId }: { ctx: Ctx; incidentId: string }) {
  requirePermission(ctx, "org:read");
  const incident = await getIncidentOrThrow(db(), ctx.org.id, incidentId);
  const name = (id: string | null, names: Map<string, string>) => (id ? (names.get(id) ?? "a former member") : null);

  const [[monitor], notes, linked] = await Promise.all([
    db()
      .select({ id: monitors.id, name: monitors.name, state: monitors.state })
      .from(monitors)
      .where(and(eq(monitors.id, incident.monitorId), eq(monitors.organizationId, ctx.org.id))),
    db()
      .select()
      .from(incidentNotes)
      .where(and(eq(incidentNotes.incidentId, incident.id), eq(incidentNotes.organizationId, ctx.org.id)))
      .orderBy(asc(incidentNotes.createdAt)),
    db()
      .select({ s: statusIncidents, pageName: statusPages.name })
      .from(statusIncidents)
      .innerJoin(statusPages, eq(statusPages.id, statusIncidents.pageId))
      .where(and(eq(statusIncidents.monitorIncidentId, incident.id), eq(statusIncidents.organizationId, ctx.org.id)))
      .orderBy(asc(statusIncidents.createdAt)),
  ]);
  const updates = linked.length
    ? await db()
        .select()
        .from(statusIncidentUpdates)
        .where(
          and(
            eq(statusIncidentUpdates.organizationId, ctx.org.id),
            inArray(
              statusIncidentUpdates.incidentId,
              linked.map((l) => l.s.id),
            ),
          ),
        )
        .orderBy(asc(statusIncidentUpdates.createdAt))
    : [];
  const userIds = [...new Set([incident.acknowledgedById, ...notes.map((n) => n.authorId), ...updates.map((u) => u.createdById)].filter((x): x is string => !!x))];
  const names = new Map(userIds.length ? (await db().select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, userIds))).map((u) => [u.id, u.name] as const) : []);
  const pageOf = new Map(linked.map((l) => [l.s.id, l.pageName]));

  const cause = [incident.causeErrorClass, incident.causeStatusCode ? `HTTP ${incident.causeStatusCode}` : null, incident.causeMessage].filter(Boolean).join(" · ") || null;
  const entries: TimelineEntry[] = [{ kind: "opened", at: incident.openedAt, cause }];
  if (incident.regionsDown.length) entries.push({ kind: "regions_down", at: incident.openedAt, regions: incident.regionsDown });
  if (incident.acknowledgedAt) entries.push({ kind: "acknowledged", at: incident.acknowledgedAt, by: name(incident.acknowledgedById, names) ?? "a former member" });
  for (const n of notes) entries.push({ kind: "note", at: n.createdAt, by: name(n.authorId, names) ?? "a former member", body: n.body });
  for (const { s, pageName } of linked) {
    entries.push({ kind: "status_incident", at: s.createdAt, pageId: s.pageId, pageName, statusIncidentId: s.id, title: s.title, published: s.publishedAt !== null });
    if (s.publishedAt) entries.push({ kind: "status_published", at: s.publishedAt, pageName, statusIncidentId: s.id });
  }
  for (const u of updates)
    entries.push({ kind: "status_update", at: u.createdAt, pageName: pageOf.get(u.incidentId) ?? "", statusIncidentId: u.incidentId, status: u.status, body: u.body, by: name(u.createdById, names) });
  if (incident.closedAt) entries.push({ kind: "closed", at: incident.closedAt, durationSeconds: incident.durationSeconds });
  // Stable: entries at the same instant keep the order above (opened before regions, …).
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    incident,
    monitor: monitor ?? null,
    acknowledgedBy: name(incident.acknowledgedById, names),
    statusIncidents: linked.map(({ s, pageName }) => ({
      id: s.id,
      pageId: s.pageId,
      pageName,
      title: s.title,
      impact: s.impact as IncidentImpact,
      status: s.status,
      published: s.publishedAt !== null,
      resolved: s.resolvedAt !== null,
    })),
    entries,
  };
}
