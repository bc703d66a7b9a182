import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { db } from "../../db/client";
import { incidents, monitors, statusIncidents, statusPages, users } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { parseInput } from "../../lib/parse";
import type { IncidentImpact, IncidentStatus } from "../../status/model";

export const INCIDENT_FILTERS = ["all", "open", "acknowledged", "resolved"] as const;
export type IncidentFilter = (typeof INCIDENT_FILTERS)[number];

const listInputSchema = z.object({
  state: z.enum(INCIDENT_FILTERS).default("all"),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/** Where an incident stands on the Incidents page. */
export type OrgIncidentState = Exclude<IncidentFilter, "all">;

export type OrgIncident =
  | {
      kind: "monitor";
      id: string;
      state: OrgIncidentState;
      openedAt: Date;
      closedAt: Date | null;
      monitorId: string;
      monitorName: string;
      cause: string | null;
      regionsDown: string[];
      acknowledgedAt: Date | null;
      acknowledgedBy: string | null;
    }
  | {
      kind: "status";
      id: string;
      state: OrgIncidentState;
      openedAt: Date;
      closedAt: Date | null;
      pageId: string;
      pageName: string;
      title: string;
      impact: IncidentImpact;
      status: IncidentStatus;
      published: boolean;
      monitorIncidentId: string | null;
    };

/**
 * Monitor incidents and status-page incidents of the organization together, newest first.
 * A monitor incident is open until someone acknowledges it and resolved when it closes. A
 * status-page incident is open while it is a draft nobody has published, acknowledged once
 * published (a person took it on), resolved when its timeline says so.
 */
export async function listOrgIncidents({ ctx, input = {} }: { ctx: Ctx; input?: unknown }): Promise<OrgIncident[]> {
  requirePermission(ctx, "org:read");
  const { state, limit } = parseInput(listInputSchema, input);
  const ackUser = alias(users, "ack_user");

  const monitorWhere: SQL[] = [eq(incidents.organizationId, ctx.org.id)];
  if (state === "open") monitorWhere.push(isNull(incidents.closedAt), isNull(incidents.acknowledgedAt));
  if (state === "acknowledged") monitorWhere.push(isNull(incidents.closedAt), isNotNull(incidents.acknowledgedAt));
  if (state === "resolved") monitorWhere.push(isNotNull(incidents.closedAt));

  const statusWhere: SQL[] = [eq(statusIncidents.organizationId, ctx.org.id)];
  if (state === "open") statusWhere.push(isNull(statusIncidents.resolvedAt), isNull(statusIncidents.publishedAt));
  if (state === "acknowledged") statusWhere.push(isNull(statusIncidents.resolvedAt), isNotNull(statusIncidents.publishedAt));
  if (state === "resolved") statusWhere.push(isNotNull(statusIncidents.resolvedAt));

  const [monitorRows, statusRows] = await Promise.all([
    db()
      .select({ i: incidents, monitorName: monitors.name, ackName: ackUser.name })
      .from(incidents)
      .innerJoin(monitors, eq(monitors.id, incidents.monitorId))
      .leftJoin(ackUser, eq(ackUser.id, incidents.acknowledgedById))
      .where(and(...monitorWhere))
      .orderBy(desc(incidents.openedAt))
      .limit(limit),
    db()
      .select({ s: statusIncidents, pageName: statusPages.name })
      .from(statusIncidents)
      .innerJoin(statusPages, and(eq(statusPages.id, statusIncidents.pageId), eq(statusPages.organizationId, ctx.org.id)))
      .where(and(...statusWhere))
      .orderBy(desc(statusIncidents.createdAt))
      .limit(limit),
  ]);

  const items: OrgIncident[] = [
    ...monitorRows.map(({ i, monitorName, ackName }): OrgIncident => ({
      kind: "monitor",
      id: i.id,
      state: i.closedAt ? "resolved" : i.acknowledgedAt ? "acknowledged" : "open",
      openedAt: i.openedAt,
      closedAt: i.closedAt,
      monitorId: i.monitorId,
      monitorName,
      cause: [i.causeErrorClass, i.causeStatusCode ? `HTTP ${i.causeStatusCode}` : null, i.causeMessage].filter(Boolean).join(" · ") || null,
      regionsDown: i.regionsDown,
      acknowledgedAt: i.acknowledgedAt,
      acknowledgedBy: i.acknowledgedAt ? (ackName ?? "a former member") : null,
    })),
    ...statusRows.map(({ s, pageName }): OrgIncident => ({
      kind: "status",
      id: s.id,
      state: s.resolvedAt ? "resolved" : s.publishedAt ? "acknowledged" : "open",
      openedAt: s.createdAt,
      closedAt: s.resolvedAt,
      pageId: s.pageId,
      pageName,
      title: s.title,
      impact: s.impact,
      status: s.status,
      published: s.publishedAt !== null,
      monitorIncidentId: s.monitorIncidentId,
    })),
  ];
  return items.sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime()).slice(0, limit);
}
