import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../db/client";
import { monitors, statusPageComponents, statusPageSections, statusPages, type StatusPage } from "../../db/schema";
import { Conflict, Invalid, NotFound } from "../../errors";
import type { StatusComponentsInput } from "../../validation/status-pages";
import { toStatusPageView, type StatusPageView } from "./view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed id: anything else is a 404 before any query. */
export const isUuid = (id: string) => UUID.test(id);

/** Scoped fetch-or-throw: another organization's page is indistinguishable from none. */
export async function getStatusPageOrThrow(tx: DbOrTx, organizationId: string, pageId: string, opts: { forUpdate?: boolean } = {}): Promise<StatusPage> {
  if (!isUuid(pageId)) throw new NotFound("Status page not found.");
  const q = tx
    .select()
    .from(statusPages)
    .where(and(eq(statusPages.id, pageId), eq(statusPages.organizationId, organizationId)))
    .limit(1);
  const [p] = opts.forUpdate ? await q.for("update") : await q;
  if (!p) throw new NotFound("Status page not found.");
  return p;
}

/** Every change to what a page shows bumps its version (the snapshot caches key on it). */
/** The distinct component ids given, each checked to be one of this page's (else a field error on componentIds). */
export async function ownComponentIds(tx: DbOrTx, pageId: string, ids: readonly string[]): Promise<string[]> {
  const componentIds = [...new Set(ids)];
  if (componentIds.length === 0) return componentIds;
  const known = await tx
    .select({ id: statusPageComponents.id })
    .from(statusPageComponents)
    .where(and(eq(statusPageComponents.pageId, pageId), inArray(statusPageComponents.id, componentIds)));
  if (known.length !== componentIds.length) throw new Invalid("Unknown component", { componentIds: ["Choose components shown on this page"] });
  return componentIds;
}

export async function touchStatusPage(tx: DbOrTx, pageId: string): Promise<void> {
  await tx
    .update(statusPages)
    .set({ version: sql`${statusPages.version} + 1`, updatedAt: new Date() })
    .where(eq(statusPages.id, pageId));
}

export async function loadStatusPageView(tx: DbOrTx, page: StatusPage): Promise<StatusPageView> {
  const [sections, components] = await Promise.all([
    tx.select().from(statusPageSections).where(eq(statusPageSections.pageId, page.id)).orderBy(asc(statusPageSections.position)),
    tx.select().from(statusPageComponents).where(eq(statusPageComponents.pageId, page.id)).orderBy(asc(statusPageComponents.position)),
  ]);
  return toStatusPageView(page, sections, components);
}

type Components = Exclude<StatusComponentsInput["components"], undefined>;

/**
 * Replaces a page's components and sections by the given list, in its order. A component
 * keeps its id while its monitor stays on the page (incidents and maintenances name
 * components by id); sections are matched by name, ordered by first appearance.
 */
export async function replaceComponents(tx: Tx, organizationId: string, pageId: string, components: Components): Promise<void> {
  const monitorIds = components.map((c) => c.monitorId);
  const own = monitorIds.length
    ? await tx
        .select({ id: monitors.id, name: monitors.name })
        .from(monitors)
        .where(and(eq(monitors.organizationId, organizationId), inArray(monitors.id, monitorIds)))
    : [];
  const monitorName = new Map(own.map((m) => [m.id, m.name]));
  const missing = monitorIds.findIndex((id) => !monitorName.has(id));
  if (missing >= 0) throw new NotFound("Monitor not found.", { [`components.${missing}.monitorId`]: ["No such monitor in this organization"] });

  const sectionNames = [...new Set(components.map((c) => c.sectionName).filter((n): n is string => !!n))];
  const existingSections = await tx.select().from(statusPageSections).where(eq(statusPageSections.pageId, pageId));
  const sectionId = new Map<string, string>();
  for (const [position, name] of sectionNames.entries()) {
    const found = existingSections.find((s) => s.name === name && ![...sectionId.values()].includes(s.id));
    if (found) {
      await tx.update(statusPageSections).set({ position }).where(eq(statusPageSections.id, found.id));
      sectionId.set(name, found.id);
    } else {
      const [s] = await tx.insert(statusPageSections).values({ pageId, name, position }).returning({ id: statusPageSections.id });
      sectionId.set(name, s!.id);
    }
  }
  const keptSections = [...sectionId.values()];
  await tx.delete(statusPageSections).where(and(eq(statusPageSections.pageId, pageId), ...(keptSections.length ? [notInArray(statusPageSections.id, keptSections)] : [])));

  await tx.delete(statusPageComponents).where(and(eq(statusPageComponents.pageId, pageId), ...(monitorIds.length ? [notInArray(statusPageComponents.monitorId, monitorIds)] : [])));
  for (const [position, c] of components.entries()) {
    const values = {
      name: c.name ?? monitorName.get(c.monitorId)!,
      description: c.description ?? null,
      sectionId: c.sectionName ? sectionId.get(c.sectionName)! : null,
      position,
      showResponseTime: c.showResponseTime ?? false,
    };
    await tx
      .insert(statusPageComponents)
      .values({ pageId, organizationId, monitorId: c.monitorId, ...values })
      .onConflictDoUpdate({ target: [statusPageComponents.pageId, statusPageComponents.monitorId], set: values });
  }
}

/** Turns a unique violation on slug or custom domain into a Conflict naming the field. */
export function conflictFrom(e: unknown): never {
  const err = e as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = err.cause?.code ? err.cause : err;
  if (pg.code === "23505" && pg.constraint === "status_pages_slug_uq") throw new Conflict("This slug is taken; choose another.", { slug: ["This slug is taken; choose another"] });
  if (pg.code === "23505" && pg.constraint === "status_pages_domain_uq") throw new Conflict("Another status page uses this domain.", { customDomain: ["Another status page uses this domain"] });
  throw e;
}
