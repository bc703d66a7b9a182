import { randomBytes } from "node:crypto";
import { db } from "../../src/server/db/client";
import {
  maintenanceWindows,
  statusIncidentComponents,
  statusIncidents,
  statusIncidentUpdates,
  statusMaintenances,
  statusPageComponents,
  statusPages,
  statusPageSections,
  type Monitor,
  type StatusIncident,
  type StatusPage,
  type StatusPageComponent,
} from "../../src/server/db/schema";
import type { ComponentStatus, IncidentImpact, IncidentStatus } from "../../src/server/status/model";
import { insertMonitor } from "./monitor-factory";

/** A unique slug for a test page. */
export const uniqueSlug = (tag = "page") => `${tag}-${randomBytes(5).toString("hex")}`;

/** Inserts a status page directly (no service), for tests. */
export async function insertPage(orgId: string, over: Partial<typeof statusPages.$inferInsert> = {}): Promise<StatusPage> {
  const [p] = await db()
    .insert(statusPages)
    .values({ organizationId: orgId, slug: uniqueSlug(), name: "Acme Status", ...over })
    .returning();
  return p!;
}

export async function insertSection(pageId: string, name: string, position = 0) {
  const [s] = await db().insert(statusPageSections).values({ pageId, name, position }).returning();
  return s!;
}

/** A component on a page, with a fresh monitor unless one is given. */
export async function insertComponent(page: StatusPage, over: Partial<typeof statusPageComponents.$inferInsert> & { monitor?: Monitor } = {}): Promise<StatusPageComponent & { monitor: Monitor }> {
  const { monitor: given, ...rest } = over;
  const monitor = given ?? (await insertMonitor(page.organizationId, { name: `${rest.name ?? "Component"} monitor`, paused: true }));
  const [c] = await db()
    .insert(statusPageComponents)
    .values({ pageId: page.id, organizationId: page.organizationId, monitorId: monitor.id, name: "API", ...rest })
    .returning();
  return { ...c!, monitor };
}

/** A published incident (unless `publishedAt: null`) with its updates (oldest first) and affected components. */
export async function insertIncident(
  page: StatusPage,
  opts: {
    title?: string;
    impact?: IncidentImpact;
    status?: IncidentStatus;
    publishedAt?: Date | null;
    resolvedAt?: Date | null;
    createdAt?: Date;
    components?: { id: string; status?: ComponentStatus | null }[];
    updates?: { status: IncidentStatus; body: string; at?: Date }[];
  } = {},
): Promise<StatusIncident> {
  const createdAt = opts.createdAt ?? new Date();
  const [inc] = await db()
    .insert(statusIncidents)
    .values({
      organizationId: page.organizationId,
      pageId: page.id,
      title: opts.title ?? "Elevated error rates",
      impact: opts.impact ?? "minor",
      status: opts.status ?? "investigating",
      publishedAt: opts.publishedAt === undefined ? createdAt : opts.publishedAt,
      resolvedAt: opts.resolvedAt ?? null,
      createdAt,
    })
    .returning();
  for (const c of opts.components ?? [])
    await db()
      .insert(statusIncidentComponents)
      .values({ incidentId: inc!.id, componentId: c.id, status: c.status ?? null });
  for (const [i, u] of (opts.updates ?? [{ status: inc!.status, body: "We are investigating." }]).entries())
    await db()
      .insert(statusIncidentUpdates)
      .values({ incidentId: inc!.id, organizationId: page.organizationId, status: u.status, body: u.body, createdAt: u.at ?? new Date(createdAt.getTime() + i * 1000) });
  return inc!;
}

/** A maintenance shown on the page, with the engine window it owns (same monitors and times). */
export async function insertMaintenance(page: StatusPage, opts: { title?: string; message?: string; startsAt: Date; endsAt: Date; components: (StatusPageComponent & { monitor: Monitor })[] }) {
  const [w] = await db()
    .insert(maintenanceWindows)
    .values({
      organizationId: page.organizationId,
      name: opts.title ?? "Maintenance",
      kind: "one_off",
      startsAt: opts.startsAt,
      endsAt: opts.endsAt,
      monitorIds: opts.components.map((c) => c.monitor.id),
    })
    .returning();
  const [m] = await db()
    .insert(statusMaintenances)
    .values({
      organizationId: page.organizationId,
      pageId: page.id,
      maintenanceWindowId: w!.id,
      title: opts.title ?? "Database upgrade",
      message: opts.message ?? "We are upgrading the database.",
      componentIds: opts.components.map((c) => c.id),
      startsAt: opts.startsAt,
      endsAt: opts.endsAt,
    })
    .returning();
  return m!;
}
