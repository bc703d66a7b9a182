/**
 * The status-page domain's vocabulary and its pure rules: the values (Atlassian Statuspage's
 * public v2 words, so aggregators read ours), how a component's status follows its monitor,
 * and how a page's indicator and banner follow its components and open incidents.
 * No I/O here; the schema, services, snapshot and renderers all read it.
 */
import type { MonitorState } from "../db/schema/monitors";

export const PAGE_ACCESS = ["public", "password", "members"] as const;
export type PageAccess = (typeof PAGE_ACCESS)[number];

/** Languages of the page chrome; the strings are in src/server/status/i18n/<lang>.ts. */
export const PAGE_LANGUAGES = ["en", "de"] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export const COMPONENT_STATUSES = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

export const INCIDENT_IMPACTS = ["none", "minor", "major", "critical"] as const;
export type IncidentImpact = (typeof INCIDENT_IMPACTS)[number];

/** The timeline's steps, in order. "resolved" closes the incident. */
export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuspage's page indicator. */
export const INDICATORS = ["none", "minor", "major", "critical"] as const;
export type Indicator = (typeof INDICATORS)[number];

export const BANNERS = ["operational", "degraded", "partial_outage", "major_outage", "maintenance"] as const;
export type Banner = (typeof BANNERS)[number];

export const SUBSCRIBER_KINDS = ["email", "webhook"] as const;

/** What subscribers are told. */
export const NOTICE_KINDS = ["incident_published", "incident_updated", "incident_resolved", "maintenance_started", "maintenance_ended"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const MAINTENANCE_STATUSES = ["scheduled", "in_progress", "completed"] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/**
 * A component's shown status: an EDITOR's override for an open incident wins; otherwise a
 * maintenance window; otherwise the monitor (DOWN → major_outage, DEGRADED →
 * degraded_performance; UP, PENDING and PAUSED → operational).
 */
export function componentStatusOf(monitorState: MonitorState, inMaintenance: boolean, override?: ComponentStatus | null): ComponentStatus {
  if (override) return override;
  if (inMaintenance) return "under_maintenance";
  if (monitorState === "DOWN") return "major_outage";
  if (monitorState === "DEGRADED") return "degraded_performance";
  return "operational";
}

const SEVERITY: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

/** The worse of several overrides (several open incidents may name one component). */
export function worstStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((w, s) => (SEVERITY[s] > SEVERITY[w] ? s : w), "operational");
}

const INDICATOR_RANK: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 };
const COMPONENT_INDICATOR: Record<ComponentStatus, Indicator> = {
  operational: "none",
  under_maintenance: "none",
  degraded_performance: "minor",
  partial_outage: "minor",
  major_outage: "major",
};

/** The page's indicator: the worst of its components and its open (published, unresolved) incidents' impacts. */
export function pageIndicator(components: readonly ComponentStatus[], openIncidentImpacts: readonly IncidentImpact[]): Indicator {
  const all: Indicator[] = [...components.map((c) => COMPONENT_INDICATOR[c]), ...openIncidentImpacts];
  return all.reduce<Indicator>((w, i) => (INDICATOR_RANK[i] > INDICATOR_RANK[w] ? i : w), "none");
}

/** Statuspage's `status.description` for an indicator (English; pages translate the banner). */
export const INDICATOR_DESCRIPTIONS: Record<Indicator, string> = {
  none: "All Systems Operational",
  minor: "Minor Service Outage",
  major: "Partial System Outage",
  critical: "Major Service Outage",
};

/**
 * The banner at the top of the page. All components in major outage (or a critical incident)
 * → major outage; some → partial outage; degraded or a minor/major incident → degraded;
 * otherwise maintenance when a component is under maintenance; otherwise operational.
 */
export function pageBanner(components: readonly ComponentStatus[], openIncidentImpacts: readonly IncidentImpact[]): Banner {
  const down = components.filter((c) => c === "major_outage").length;
  if (openIncidentImpacts.includes("critical") || (components.length > 0 && down === components.length)) return "major_outage";
  if (down > 0 || components.includes("partial_outage") || openIncidentImpacts.includes("major")) return "partial_outage";
  if (components.includes("degraded_performance") || openIncidentImpacts.includes("minor")) return "degraded";
  if (components.includes("under_maintenance")) return "maintenance";
  return "operational";
}

export function maintenanceStatusOf(w: { startsAt: Date; endsAt: Date }, now: Date): MaintenanceStatus {
  if (now < w.startsAt) return "scheduled";
  if (now < w.endsAt) return "in_progress";
  return "completed";
}
