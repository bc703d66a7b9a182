import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { COMPONENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES, NOTICE_KINDS, PAGE_ACCESS, PAGE_LANGUAGES, SUBSCRIBER_KINDS } from "../../status/model";
import { incidents, maintenanceWindows, monitors } from "./monitors";
import { organizations } from "./organizations";
import { users } from "./users";

export const pageAccessEnum = pgEnum("status_page_access", PAGE_ACCESS);
export const componentStatusEnum = pgEnum("component_status", COMPONENT_STATUSES);
export const incidentImpactEnum = pgEnum("status_incident_impact", INCIDENT_IMPACTS);
export const incidentStatusEnum = pgEnum("status_incident_status", INCIDENT_STATUSES);
export const subscriberKindEnum = pgEnum("subscriber_kind", SUBSCRIBER_KINDS);

/**
 * A public status page. `slug` is global (it is the URL); `customDomain` is served at `/`
 * once verified. Snapshot caches key on `version`, bumped on every change.
 */
export const statusPages = pgTable(
  "status_pages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** An https URL (or data: image) shown in the header. */
    logoUrl: text("logo_url"),
    /** "#rrggbb". */
    brandColor: text("brand_color").notNull().default("#2563eb"),
    timeZone: text("time_zone").notNull().default("UTC"),
    language: text("language", { enum: PAGE_LANGUAGES }).notNull().default("en"),
    /** Unpublished pages answer 404 to the public (members can preview). */
    published: boolean("published").notNull().default(true),
    /** Unpublished by a downgrade (not by a person): republished when the plan allows it again. */
    unpublishedByPlan: boolean("unpublished_by_plan").notNull().default(false),
    access: pageAccessEnum("access").notNull().default("public"),
    /** bcrypt, for access = "password". */
    passwordHash: text("password_hash"),
    /** A monitor that is a component going DOWN publishes its draft incident at once. */
    autoPublishIncidents: boolean("auto_publish_incidents").notNull().default(false),
    customDomain: text("custom_domain"),
    /** The value expected in the `_perigee.{domain}` TXT record. */
    domainToken: text("domain_token"),
    domainVerifiedAt: timestamp("domain_verified_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("status_pages_slug_uq").on(t.slug), uniqueIndex("status_pages_domain_uq").on(t.customDomain), index("status_pages_org_idx").on(t.organizationId)],
);

/** A heading components are grouped under, ordered by hand. */
export const statusPageSections = pgTable(
  "status_page_sections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pageId: uuid("page_id")
      .notNull()
      .references(() => statusPages.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("status_page_sections_page_idx").on(t.pageId, t.position)],
);

/** A monitor shown on a page under a public name. */
export const statusPageComponents = pgTable(
  "status_page_components",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pageId: uuid("page_id")
      .notNull()
      .references(() => statusPages.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    monitorId: uuid("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    sectionId: uuid("section_id").references(() => statusPageSections.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description"),
    position: integer("position").notNull().default(0),
    showResponseTime: boolean("show_response_time").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("status_page_components_page_idx").on(t.pageId, t.position),
    index("status_page_components_monitor_idx").on(t.monitorId),
    uniqueIndex("status_page_components_page_monitor_uq").on(t.pageId, t.monitorId),
  ],
);

/**
 * An incident written by people for a page. `publishedAt` null = a draft (prepared when a
 * component's monitor went DOWN, `monitorIncidentId` links it), never shown publicly.
 */
export const statusIncidents = pgTable(
  "status_incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    pageId: uuid("page_id")
      .notNull()
      .references(() => statusPages.id, { onDelete: "cascade" }),
    monitorIncidentId: uuid("monitor_incident_id").references(() => incidents.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    impact: incidentImpactEnum("impact").notNull().default("minor"),
    status: incidentStatusEnum("status").notNull().default("investigating"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("status_incidents_page_idx").on(t.pageId, t.createdAt),
    index("status_incidents_org_idx").on(t.organizationId, t.createdAt),
    // One draft/incident per monitor incident and page.
    uniqueIndex("status_incidents_monitor_incident_uq")
      .on(t.pageId, t.monitorIncidentId)
      .where(sql`monitor_incident_id is not null`),
  ],
);

/** The components an incident affects and the state shown for each while it is open (the override). */
export const statusIncidentComponents = pgTable(
  "status_incident_components",
  {
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => statusIncidents.id, { onDelete: "cascade" }),
    componentId: uuid("component_id")
      .notNull()
      .references(() => statusPageComponents.id, { onDelete: "cascade" }),
    /** Null = follow the monitor. */
    status: componentStatusEnum("status"),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.componentId] }), index("status_incident_components_component_idx").on(t.componentId)],
);

/** The timeline: one row per posted update (Markdown body, rendered safely). */
export const statusIncidentUpdates = pgTable(
  "status_incident_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => statusIncidents.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: incidentStatusEnum("status").notNull(),
    body: text("body").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("status_incident_updates_incident_idx").on(t.incidentId, t.createdAt)],
);

/**
 * Scheduled maintenance shown on a page. Each owns the engine's maintenance window
 * (`maintenanceWindowId`, same monitors and times), so the window that is announced is the
 * window that suppresses alerts.
 */
export const statusMaintenances = pgTable(
  "status_maintenances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    pageId: uuid("page_id")
      .notNull()
      .references(() => statusPages.id, { onDelete: "cascade" }),
    maintenanceWindowId: uuid("maintenance_window_id").references(() => maintenanceWindows.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    message: text("message").notNull().default(""),
    componentIds: uuid("component_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** Set when subscribers were told it started / ended (once each). */
    startNoticeAt: timestamp("start_notice_at", { withTimezone: true }),
    endNoticeAt: timestamp("end_notice_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("status_maintenances_page_idx").on(t.pageId, t.startsAt)],
);

/**
 * People and systems following a page. Personal data: never listed publicly. Email
 * subscribers count only once confirmed (double opt-in); webhook URLs and signing secrets
 * are sealed.
 */
export const statusSubscribers = pgTable(
  "status_subscribers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    pageId: uuid("page_id")
      .notNull()
      .references(() => statusPages.id, { onDelete: "cascade" }),
    kind: subscriberKindEnum("kind").notNull(),
    /** Lower-cased; null for webhooks. */
    email: text("email"),
    /** Webhook: URL and signing secret, sealed together. */
    secretsEnc: text("secrets_enc"),
    /** Empty = every component. */
    componentIds: uuid("component_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    confirmTokenHash: text("confirm_token_hash"),
    confirmExpiresAt: timestamp("confirm_expires_at", { withTimezone: true }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("status_subscribers_page_email_uq")
      .on(t.pageId, t.email)
      .where(sql`email is not null`),
    uniqueIndex("status_subscribers_confirm_uq").on(t.confirmTokenHash),
    index("status_subscribers_page_idx").on(t.pageId),
  ],
);

/**
 * The page's outbox: one row per thing subscribers are told (incident published, updated,
 * resolved; maintenance started, ended), written in the transaction that did it.
 */
export const statusNotices = pgTable(
  "status_notices",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    pageId: uuid("page_id")
      .notNull()
      .references(() => statusPages.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTICE_KINDS }).notNull(),
    incidentId: uuid("incident_id").references(() => statusIncidents.id, { onDelete: "cascade" }),
    updateId: uuid("update_id").references(() => statusIncidentUpdates.id, { onDelete: "cascade" }),
    maintenanceId: uuid("maintenance_id").references(() => statusMaintenances.id, { onDelete: "cascade" }),
    /** Components concerned (subscribers who chose components hear only of theirs). */
    componentIds: uuid("component_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    index("status_notices_unprocessed_idx")
      .on(t.id)
      .where(sql`processed_at is null`),
  ],
);

/** One row per (notice, subscriber): sent at most once, like notification_deliveries. */
export const statusNoticeDeliveries = pgTable(
  "status_notice_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    noticeId: bigint("notice_id", { mode: "number" })
      .notNull()
      .references(() => statusNotices.id, { onDelete: "cascade" }),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => statusSubscribers.id, { onDelete: "cascade" }),
    /** pending | sending | delivered | failed */
    status: text("status").notNull().default("pending"),
    attempts: smallint("attempts").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("status_notice_deliveries_uq").on(t.noticeId, t.subscriberId),
    index("status_notice_deliveries_pending_idx")
      .on(t.createdAt)
      .where(sql`status in ('pending', 'sending')`),
  ],
);

/** Internal notes on a monitor incident (the organization-wide Incidents page). */
export const incidentNotes = pgTable(
  "incident_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("incident_notes_incident_idx").on(t.incidentId, t.createdAt)],
);

export type StatusPage = typeof statusPages.$inferSelect;
export type StatusPageSection = typeof statusPageSections.$inferSelect;
export type StatusPageComponent = typeof statusPageComponents.$inferSelect;
export type StatusIncident = typeof statusIncidents.$inferSelect;
export type StatusIncidentUpdate = typeof statusIncidentUpdates.$inferSelect;
export type StatusMaintenance = typeof statusMaintenances.$inferSelect;
export type StatusSubscriber = typeof statusSubscribers.$inferSelect;
export type StatusNotice = typeof statusNotices.$inferSelect;
export type IncidentNote = typeof incidentNotes.$inferSelect;
