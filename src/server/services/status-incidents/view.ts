import { z } from "zod";
import { isoTime } from "../../api/views";
import type { StatusIncident, StatusIncidentUpdate } from "../../db/schema";
import { COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES, type ComponentStatus } from "../../status/model";

export const statusIncidentViewSchema = z
  .object({
    id: z.uuid(),
    pageId: z.uuid(),
    monitorIncidentId: z.uuid().nullable().describe("The monitor incident this was prepared from, if any"),
    title: z.string(),
    impact: z.enum(INCIDENT_IMPACTS),
    status: z.enum(INCIDENT_STATUSES),
    draft: z.boolean().describe("Not published: never shown publicly"),
    publishedAt: isoTime.nullable(),
    resolvedAt: isoTime.nullable(),
    components: z.array(z.object({ componentId: z.uuid(), name: z.string(), status: z.enum(COMPONENT_STATUSES).nullable() }).strict()),
    updates: z.array(z.object({ id: z.uuid(), status: z.enum(INCIDENT_STATUSES), body: z.string(), createdAt: isoTime }).strict()).describe("Newest first"),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict()
  .meta({ id: "StatusIncident" });
export type StatusIncidentView = z.infer<typeof statusIncidentViewSchema>;

export const statusIncidentUpdateViewSchema = statusIncidentViewSchema.shape.updates.element.meta({ id: "StatusIncidentUpdate" });

export function toStatusIncidentView(i: StatusIncident, components: { componentId: string; name: string; status: ComponentStatus | null }[], updates: StatusIncidentUpdate[]): StatusIncidentView {
  return {
    id: i.id,
    pageId: i.pageId,
    monitorIncidentId: i.monitorIncidentId,
    title: i.title,
    impact: i.impact,
    status: i.status,
    draft: i.publishedAt == null,
    publishedAt: i.publishedAt?.toISOString() ?? null,
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    components,
    updates: [...updates]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id))
      .map((u) => ({ id: u.id, status: u.status, body: u.body, createdAt: u.createdAt.toISOString() })),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}
