/**
 * Builds a page's public snapshot from the database: everything a public request needs, so
 * serving it queries nothing (status/cache.ts keeps it in Redis and memory). Only published
 * incidents and public fields enter it; the access gate travels beside it.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { db } from "../db/client";
import {
  maintenanceWindows,
  monitors,
  statusIncidentComponents,
  statusIncidents,
  statusIncidentUpdates,
  statusMaintenances,
  statusPageComponents,
  statusPages,
  statusPageSections,
} from "../db/schema";
import { env } from "../env";
import { windowCovers } from "../monitors/maintenance";
import { orgIsLive } from "../privacy/live";
import { renderMarkdown } from "./markdown";
import { componentStatusOf, INDICATOR_DESCRIPTIONS, maintenanceStatusOf, pageBanner, pageIndicator, worstStatus, type ComponentStatus } from "./model";
import type { ComponentSnapshot, DayBar, IncidentSnapshot, MaintenanceSnapshot, SnapshotEntry } from "./snapshot-types";

const DAY = 86_400_000;
export const BAR_DAYS = 90;

const pct = (successes: number, checks: number) => (checks > 0 ? Math.round((successes / checks) * 10_000) / 100 : null);

/** The page's public URL: its verified custom domain, else the app's /status/{slug}. */
export function pageUrl(p: { slug: string; customDomain: string | null; domainVerifiedAt: Date | null }): string {
  return p.customDomain && p.domainVerifiedAt ? `https://${p.customDomain}/` : `${env().APP_URL.replace(/\/$/, "")}/status/${p.slug}`;
}

/** The snapshot of one page, or null when the page does not exist. */
export async function buildSnapshot(pageId: string, now = new Date()): Promise<SnapshotEntry | null> {
  const d = db();
  // A deleted organization's pages (and their feeds, JSON, badges) are gone (issue 13).
  const [page] = await d
    .select()
    .from(statusPages)
    .where(and(eq(statusPages.id, pageId), orgIsLive(statusPages.organizationId)));
  if (!page) return null;
  const since90 = new Date(now.getTime() - BAR_DAYS * DAY);
  const [sections, comps, windows, incs, maints] = await Promise.all([
    d.select().from(statusPageSections).where(eq(statusPageSections.pageId, pageId)).orderBy(asc(statusPageSections.position), asc(statusPageSections.name)),
    d
      .select({ c: statusPageComponents, state: monitors.state, seq: monitors.seq })
      .from(statusPageComponents)
      .innerJoin(monitors, eq(monitors.id, statusPageComponents.monitorId))
      .where(eq(statusPageComponents.pageId, pageId)),
    d.select().from(maintenanceWindows).where(eq(maintenanceWindows.organizationId, page.organizationId)),
    d
      .select()
      .from(statusIncidents)
      .where(and(eq(statusIncidents.pageId, pageId), isNotNull(statusIncidents.publishedAt), or(isNull(statusIncidents.resolvedAt), gte(statusIncidents.resolvedAt, since90))))
      .orderBy(desc(statusIncidents.publishedAt)),
    d
      .select()
      .from(statusMaintenances)
      .where(and(eq(statusMaintenances.pageId, pageId), gte(statusMaintenances.endsAt, since90)))
      .orderBy(asc(statusMaintenances.startsAt)),
  ]);
  const incIds = incs.map((i) => i.id);
  const seqs = comps.map((c) => c.seq);
  const respSeqs = comps.filter((c) => c.c.showResponseTime).map((c) => c.seq);
  const firstDay = new Date(now);
  firstDay.setUTCHours(0, 0, 0, 0);
  firstDay.setTime(firstDay.getTime() - (BAR_DAYS - 1) * DAY);
  const firstHour = new Date(now);
  firstHour.setUTCMinutes(0, 0, 0);
  firstHour.setTime(firstHour.getTime() - 23 * 3_600_000);
  const [updates, links, daily, hourly] = await Promise.all([
    incIds.length ? d.select().from(statusIncidentUpdates).where(inArray(statusIncidentUpdates.incidentId, incIds)).orderBy(desc(statusIncidentUpdates.createdAt)) : [],
    incIds.length ? d.select().from(statusIncidentComponents).where(inArray(statusIncidentComponents.incidentId, incIds)) : [],
    seqs.length
      ? d.execute<{ seq: number; bucket: Date | string; checks: number; successes: number }>(
          sql`select monitor_seq as seq, bucket, checks, successes from check_rollups_daily where monitor_seq = any(${sql.param(seqs)}::int[]) and bucket >= ${firstDay.toISOString()}::timestamptz`,
        )
      : { rows: [] },
    respSeqs.length
      ? d.execute<{ seq: number; bucket: Date | string; successes: number; sum: string }>(
          sql`select monitor_seq as seq, bucket, successes, latency_sum_ms as sum from check_rollups_hourly where monitor_seq = any(${sql.param(respSeqs)}::int[]) and bucket >= ${firstHour.toISOString()}::timestamptz`,
        )
      : { rows: [] },
  ]);

  // Overrides: the worst status open published incidents set on a component.
  const open = new Set(incs.filter((i) => !i.resolvedAt).map((i) => i.id));
  const overrides = new Map<string, ComponentStatus[]>();
  for (const l of links) if (open.has(l.incidentId) && l.status) overrides.set(l.componentId, [...(overrides.get(l.componentId) ?? []), l.status]);

  const dailyBySeq = new Map<number, Map<number, { checks: number; successes: number }>>();
  for (const r of daily.rows) {
    const m = dailyBySeq.get(Number(r.seq)) ?? new Map<number, { checks: number; successes: number }>();
    m.set(new Date(r.bucket).getTime(), { checks: Number(r.checks), successes: Number(r.successes) });
    dailyBySeq.set(Number(r.seq), m);
  }
  const hourlyBySeq = new Map<number, Map<number, { successes: number; sum: number }>>();
  for (const r of hourly.rows) {
    const m = hourlyBySeq.get(Number(r.seq)) ?? new Map<number, { successes: number; sum: number }>();
    m.set(new Date(r.bucket).getTime(), { successes: Number(r.successes), sum: Number(r.sum) });
    hourlyBySeq.set(Number(r.seq), m);
  }

  const componentNames = new Map(comps.map((c) => [c.c.id, c.c.name]));
  const incidentComponents = new Map<string, string[]>();
  for (const l of links) incidentComponents.set(l.incidentId, [...(incidentComponents.get(l.incidentId) ?? []), l.componentId]);

  const sectionPos = new Map(sections.map((s, i) => [s.id, i]));
  const ordered = [...comps].sort(
    (a, b) =>
      (a.c.sectionId ? (sectionPos.get(a.c.sectionId) ?? -1) : -1) - (b.c.sectionId ? (sectionPos.get(b.c.sectionId) ?? -1) : -1) || a.c.position - b.c.position || a.c.name.localeCompare(b.c.name),
  );

  const components: ComponentSnapshot[] = ordered.map(({ c, state, seq }) => {
    const inMaint = windows.some((w) => windowCovers(w, c.monitorId, now));
    const status = componentStatusOf(state, inMaint, overrides.has(c.id) ? worstStatus(overrides.get(c.id)!) : null);
    const rows = dailyBySeq.get(seq) ?? new Map<number, { checks: number; successes: number }>();
    const days: DayBar[] = Array.from({ length: BAR_DAYS }, (_, i) => {
      const t = firstDay.getTime() + i * DAY;
      const r = rows.get(t);
      const touching = incs.filter((inc) => {
        if (!incidentComponents.get(inc.id)?.includes(c.id)) return false;
        const from = (inc.publishedAt ?? inc.createdAt).getTime();
        const to = (inc.resolvedAt ?? now).getTime();
        return from < t + DAY && to >= t;
      });
      return { date: new Date(t).toISOString().slice(0, 10), uptime: r ? pct(r.successes, r.checks) : null, incidents: touching.map((x) => ({ id: x.id, title: x.title })) };
    });
    const sumFrom = (fromDay: number) => {
      let checks = 0;
      let ok = 0;
      for (const [t, r] of rows)
        if (t >= firstDay.getTime() + fromDay * DAY) {
          checks += r.checks;
          ok += r.successes;
        }
      return pct(ok, checks);
    };
    let responseTimes: ComponentSnapshot["responseTimes"] = null;
    if (c.showResponseTime) {
      const h = hourlyBySeq.get(seq);
      responseTimes = [];
      for (let i = 0; i < 24; i++) {
        const t = firstHour.getTime() + i * 3_600_000;
        const r = h?.get(t);
        if (r && r.successes > 0) responseTimes.push({ t: new Date(t).toISOString(), ms: Math.round(r.sum / r.successes) });
      }
    }
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      sectionId: c.sectionId,
      position: c.position,
      status,
      days,
      uptime30: sumFrom(BAR_DAYS - 30),
      uptime90: sumFrom(0),
      responseTimes,
      createdAt: c.createdAt.toISOString(),
      updatedAt: page.updatedAt > c.createdAt ? page.updatedAt.toISOString() : c.createdAt.toISOString(),
    };
  });
  const statusById = new Map(components.map((c) => [c.id, c.status]));

  const updatesOf = new Map<string, typeof updates>();
  for (const u of updates) updatesOf.set(u.incidentId, [...(updatesOf.get(u.incidentId) ?? []), u]);
  const incidents: IncidentSnapshot[] = incs.map((i) => ({
    id: i.id,
    title: i.title,
    impact: i.impact,
    status: i.status,
    createdAt: i.createdAt.toISOString(),
    publishedAt: (i.publishedAt ?? i.createdAt).toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    components: (incidentComponents.get(i.id) ?? []).filter((id) => componentNames.has(id)).map((id) => ({ id, name: componentNames.get(id)!, status: statusById.get(id) ?? "operational" })),
    updates: (updatesOf.get(i.id) ?? []).map((u) => ({ id: u.id, status: u.status, body: u.body, html: renderMarkdown(u.body), createdAt: u.createdAt.toISOString() })),
  }));

  const maintenances: MaintenanceSnapshot[] = maints.map((m) => ({
    id: m.id,
    title: m.title,
    message: m.message,
    html: renderMarkdown(m.message),
    status: maintenanceStatusOf(m, now),
    startsAt: m.startsAt.toISOString(),
    endsAt: m.endsAt.toISOString(),
    components: m.componentIds.filter((id) => componentNames.has(id)).map((id) => ({ id, name: componentNames.get(id)! })),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  }));

  const statuses = components.map((c) => c.status);
  const openImpacts = incs.filter((i) => !i.resolvedAt).map((i) => i.impact);
  const indicator = pageIndicator(statuses, openImpacts);
  return {
    snapshot: {
      v: 1,
      builtAt: now.toISOString(),
      page: {
        id: page.id,
        slug: page.slug,
        name: page.name,
        description: page.description,
        logoUrl: page.logoUrl,
        brandColor: page.brandColor,
        timeZone: page.timeZone,
        language: page.language,
        url: pageUrl(page),
        updatedAt: page.updatedAt.toISOString(),
      },
      indicator,
      description: INDICATOR_DESCRIPTIONS[indicator],
      banner: pageBanner(statuses, openImpacts),
      sections: sections.map((s) => ({ id: s.id, name: s.name, position: s.position })),
      components,
      incidents,
      maintenances,
    },
    gate: {
      organizationId: page.organizationId,
      published: page.published,
      access: page.access,
      passwordHash: page.access === "password" ? page.passwordHash : null,
      version: page.version,
      customDomain: page.customDomain,
      domainVerified: !!page.customDomain && !!page.domainVerifiedAt,
    },
  };
}
