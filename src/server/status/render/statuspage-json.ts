/**
 * Atlassian Statuspage's public v2 JSON (`/api/v2/*.json`) from a page snapshot, so the
 * aggregators, Slack apps and scripts that read Statuspage pages read ours. Pure: the same
 * snapshot gives the same bytes (callers memoise per snapshot).
 *
 * Mapping: a section is a group component (`group: true`, `components: [child ids]`, the
 * worst status of its children), its components carry `group_id`. Incidents are the published
 * ones; `started_at` is when the incident was opened (a draft prepared on DOWN opens it),
 * `created_at` when it was published. An update lists `affected_components` where we know the
 * transition: the first update (operational → the status shown) and the resolving one (back
 * to operational); others `null`, as Statuspage answers for updates that changed no component.
 * A maintenance is a Statuspage scheduled maintenance (`impact: "maintenance"`) whose updates
 * are its steps so far: scheduled (its message), in progress, completed.
 */
import { worstStatus, type ComponentStatus } from "../model";
import type { ComponentSnapshot, IncidentSnapshot, MaintenanceSnapshot, PageSnapshot } from "../snapshot-types";

export const STATUSPAGE_DOCS = [
  "summary",
  "status",
  "components",
  "incidents",
  "incidents/unresolved",
  "scheduled-maintenances",
  "scheduled-maintenances/upcoming",
  "scheduled-maintenances/active",
] as const;
export type StatuspageDoc = (typeof STATUSPAGE_DOCS)[number];

/** Statuspage answers the 50 most recent on its list endpoints. */
const LIST_LIMIT = 50;

type SpPage = { id: string; name: string; url: string; time_zone: string; updated_at: string };
type SpComponent = {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  components?: string[];
};
type SpAffected = { code: string; name: string; old_status: ComponentStatus; new_status: ComponentStatus };
type SpUpdate = {
  id: string;
  status: string;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: SpAffected[] | null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
};
type SpIncident = {
  id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: string;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: SpUpdate[];
  components: SpComponent[];
};
type SpMaintenance = SpIncident & { scheduled_for: string; scheduled_until: string };

const latest = (times: string[]) => times.reduce((a, b) => (b > a ? b : a));

/** `{page url}/incidents/{id}`: the page URL is `{APP_URL}/status/{slug}` or `https://{domain}/`. */
export function incidentUrl(pageUrl: string, id: string): string {
  return `${pageUrl.replace(/\/+$/, "")}/incidents/${encodeURIComponent(id)}`;
}

function pageOf(s: PageSnapshot): SpPage {
  const times = [s.page.updatedAt, ...s.components.map((c) => c.updatedAt), ...s.incidents.map((i) => i.updatedAt), ...s.maintenances.map((m) => m.updatedAt)];
  return { id: s.page.id, name: s.page.name, url: s.page.url, time_zone: s.page.timeZone, updated_at: latest(times) };
}

function leafOf(s: PageSnapshot, c: ComponentSnapshot): SpComponent {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    position: c.position,
    description: c.description,
    // Every component shows its uptime bars on the page: Statuspage's "showcase".
    showcase: true,
    start_date: c.createdAt.slice(0, 10),
    group_id: c.sectionId,
    page_id: s.page.id,
    group: false,
    only_show_if_degraded: false,
  };
}

/** Groups (sections) and their components in page order, each group before its children. */
function componentsOf(s: PageSnapshot): SpComponent[] {
  const out: SpComponent[] = [];
  const sections = new Map(s.sections.map((x) => [x.id, x]));
  const emitted = new Set<string>();
  for (const c of s.components) {
    const section = c.sectionId ? sections.get(c.sectionId) : undefined;
    if (section && !emitted.has(section.id)) {
      emitted.add(section.id);
      const children = s.components.filter((k) => k.sectionId === section.id);
      out.push({
        id: section.id,
        name: section.name,
        status: worstStatus(children.map((k) => k.status)),
        created_at: children.map((k) => k.createdAt).reduce((a, b) => (b < a ? b : a)),
        updated_at: latest(children.map((k) => k.updatedAt)),
        position: section.position,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: s.page.id,
        group: true,
        only_show_if_degraded: false,
        components: children.map((k) => k.id),
      });
    }
    out.push(leafOf(s, section ? c : { ...c, sectionId: null }));
  }
  return out;
}

/** The full component object for an incident's or maintenance's component (a removed one keeps its name). */
function componentRef(s: PageSnapshot, byId: Map<string, SpComponent>, ref: { id: string; name: string; status?: ComponentStatus }, at: string): SpComponent {
  const known = byId.get(ref.id);
  if (known) return known;
  return {
    id: ref.id,
    name: ref.name,
    status: ref.status ?? "operational",
    created_at: at,
    updated_at: at,
    position: 0,
    description: null,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: s.page.id,
    group: false,
    only_show_if_degraded: false,
  };
}

function incidentOf(s: PageSnapshot, byId: Map<string, SpComponent>, i: IncidentSnapshot): SpIncident {
  const oldest = i.updates[i.updates.length - 1];
  const resolvedUpdate = i.updates.find((u) => u.status === "resolved");
  const monitoring = i.updates.filter((u) => u.status === "monitoring").map((u) => u.createdAt);
  return {
    id: i.id,
    name: i.title,
    status: i.status,
    created_at: i.publishedAt,
    updated_at: i.updatedAt,
    monitoring_at: monitoring.length ? monitoring.reduce((a, b) => (b < a ? b : a)) : null,
    resolved_at: i.resolvedAt,
    impact: i.impact,
    shortlink: incidentUrl(s.page.url, i.id),
    started_at: i.createdAt,
    page_id: s.page.id,
    incident_updates: i.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: i.id,
      created_at: u.createdAt,
      updated_at: u.createdAt,
      display_at: u.createdAt,
      affected_components:
        u === oldest && u !== resolvedUpdate
          ? i.components.map((c) => ({ code: c.id, name: c.name, old_status: "operational", new_status: c.status }))
          : u === resolvedUpdate
            ? i.components.map((c) => ({ code: c.id, name: c.name, old_status: c.status, new_status: "operational" }))
            : null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: i.components.map((c) => componentRef(s, byId, c, i.createdAt)),
  };
}

function maintenanceOf(s: PageSnapshot, byId: Map<string, SpComponent>, m: MaintenanceSnapshot): SpMaintenance {
  const step = (status: string, body: string, at: string): SpUpdate => ({
    id: `${m.id}-${status}`,
    status,
    body,
    incident_id: m.id,
    created_at: at,
    updated_at: at,
    display_at: at,
    affected_components: m.components.map((c) => {
      const next: ComponentStatus = status === "in_progress" ? "under_maintenance" : "operational";
      const prev: ComponentStatus = status === "completed" ? "under_maintenance" : "operational";
      return { code: c.id, name: c.name, old_status: prev, new_status: next };
    }),
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  });
  // Newest first, like incident updates.
  const updates = [step("scheduled", m.message, m.createdAt)];
  if (m.status !== "scheduled") updates.unshift(step("in_progress", "Scheduled maintenance is currently in progress.", m.startsAt));
  if (m.status === "completed") updates.unshift(step("completed", "The scheduled maintenance has been completed.", m.endsAt));
  return {
    id: m.id,
    name: m.title,
    status: m.status,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    monitoring_at: null,
    resolved_at: m.status === "completed" ? m.endsAt : null,
    impact: "maintenance",
    shortlink: incidentUrl(s.page.url, m.id),
    started_at: m.startsAt,
    page_id: s.page.id,
    incident_updates: updates,
    components: m.components.map((c) => componentRef(s, byId, c, m.createdAt)),
    scheduled_for: m.startsAt,
    scheduled_until: m.endsAt,
  };
}

/** The document Statuspage serves at `/api/v2/{doc}.json`, as a plain object. */
export function statuspageDocument(s: PageSnapshot, doc: StatuspageDoc): Record<string, unknown> {
  const page = pageOf(s);
  const status = { indicator: s.indicator, description: s.description };
  if (doc === "status") return { page, status };
  const components = componentsOf(s);
  if (doc === "components") return { page, components };
  const byId = new Map(components.map((c) => [c.id, c]));
  const unresolved = () => s.incidents.filter((i) => i.status !== "resolved").map((i) => incidentOf(s, byId, i));
  const maintenances = (keep: (m: MaintenanceSnapshot) => boolean) => s.maintenances.filter(keep).map((m) => maintenanceOf(s, byId, m));
  switch (doc) {
    case "incidents":
      return { page, incidents: s.incidents.slice(0, LIST_LIMIT).map((i) => incidentOf(s, byId, i)) };
    case "incidents/unresolved":
      return { page, incidents: unresolved() };
    case "scheduled-maintenances":
      // The most recent first (by start), like Statuspage's list.
      return {
        page,
        scheduled_maintenances: maintenances(() => true)
          .sort((a, b) => b.scheduled_for.localeCompare(a.scheduled_for))
          .slice(0, LIST_LIMIT),
      };
    case "scheduled-maintenances/upcoming":
      return { page, scheduled_maintenances: maintenances((m) => m.status === "scheduled") };
    case "scheduled-maintenances/active":
      return { page, scheduled_maintenances: maintenances((m) => m.status === "in_progress") };
    case "summary":
      return { page, components, incidents: unresolved(), scheduled_maintenances: maintenances((m) => m.status !== "completed"), status };
  }
}
