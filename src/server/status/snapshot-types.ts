/**
 * What a public status page is rendered from. Built from the database by the worker (and by
 * web on a cold miss), kept in Redis and in process memory, so public requests (HTML, feeds,
 * badges, Statuspage JSON) never query the database. It holds only what may be public; the
 * access gate of a private page travels beside it (`SnapshotEntry.gate`), never inside.
 * Times are ISO 8601 strings (UTC); the page's time zone is applied when rendering.
 */
import type { Banner, ComponentStatus, IncidentImpact, IncidentStatus, Indicator, MaintenanceStatus, PageAccess, PageLanguage } from "./model";

export type DayBar = {
  /** YYYY-MM-DD in the page's time zone. */
  date: string;
  /** 0–100 with 2 decimals; null when the monitor had no checks that day. */
  uptime: number | null;
  /** Published incidents touching this component that day. */
  incidents: { id: string; title: string }[];
};

export type ComponentSnapshot = {
  id: string;
  name: string;
  description: string | null;
  sectionId: string | null;
  position: number;
  status: ComponentStatus;
  /** 90 bars, oldest first, the last one is today. */
  days: DayBar[];
  uptime30: number | null;
  uptime90: number | null;
  /** Only when the component shows response times: the last 24 hours, hourly mean ms, oldest first. */
  responseTimes: { t: string; ms: number }[] | null;
  createdAt: string;
  updatedAt: string;
};

export type IncidentUpdateSnapshot = {
  id: string;
  status: IncidentStatus;
  /** Markdown as written. */
  body: string;
  /** The body rendered to safe HTML (src/server/status/markdown.ts). */
  html: string;
  createdAt: string;
};

export type IncidentSnapshot = {
  id: string;
  title: string;
  impact: IncidentImpact;
  status: IncidentStatus;
  createdAt: string;
  publishedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Affected components and the status shown for each while open. */
  components: { id: string; name: string; status: ComponentStatus }[];
  /** Newest first. */
  updates: IncidentUpdateSnapshot[];
};

export type MaintenanceSnapshot = {
  id: string;
  title: string;
  message: string;
  html: string;
  status: MaintenanceStatus;
  startsAt: string;
  endsAt: string;
  components: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
};

export type PageSnapshot = {
  v: 1;
  builtAt: string;
  page: {
    id: string;
    slug: string;
    name: string;
    description: string | null;
    logoUrl: string | null;
    brandColor: string;
    timeZone: string;
    language: PageLanguage;
    /** The page's public URL: https://{verified custom domain}/ or {APP_URL}/status/{slug}. */
    url: string;
    updatedAt: string;
  };
  indicator: Indicator;
  /** Statuspage's status.description. */
  description: string;
  banner: Banner;
  sections: { id: string; name: string; position: number }[];
  /** Ordered: by section position, then component position. */
  components: ComponentSnapshot[];
  /** Published incidents: every unresolved one and those of the last 90 days, newest first. */
  incidents: IncidentSnapshot[];
  /** Upcoming and in-progress, and completed within 90 days; soonest first. */
  maintenances: MaintenanceSnapshot[];
};

/** What the caches hold per page: the snapshot and who may see it. */
export type SnapshotEntry = {
  snapshot: PageSnapshot;
  gate: {
    organizationId: string;
    published: boolean;
    access: PageAccess;
    passwordHash: string | null;
    version: number;
    /** The page's custom domain (lower case) and whether it is verified (only then is it served). */
    customDomain?: string | null;
    domainVerified?: boolean;
  };
};
