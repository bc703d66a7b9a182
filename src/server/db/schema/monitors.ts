import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, bigserial, boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { MONITOR_TYPES } from "../../monitors/kinds";
import { organizations } from "./organizations";
import { users } from "./users";

export const monitorTypeEnum = pgEnum("monitor_type", MONITOR_TYPES);
export const monitorStateEnum = pgEnum("monitor_state", ["PENDING", "UP", "DEGRADED", "DOWN", "PAUSED"]);
export type MonitorType = (typeof monitorTypeEnum.enumValues)[number];
export type MonitorState = (typeof monitorStateEnum.enumValues)[number];

/** Regions checks run from. "default" runs inside the worker; others are remote probes. */
export const regions = pgTable("regions", {
  id: smallint("id").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const monitors = pgTable(
  "monitors",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Compact key for the high-volume results and rollup tables (4 bytes instead of 16).
    seq: serial("seq").notNull().unique(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: monitorTypeEnum("type").notNull(),
    /** Type-specific settings without secrets (see src/server/monitors/config.ts). */
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    /** Auth credentials and header values, AES-256-GCM, bound to this monitor's id. */
    secretsEnc: text("secrets_enc"),
    intervalSeconds: integer("interval_seconds").notNull(),
    timeoutMs: integer("timeout_ms").notNull(),
    confirmations: smallint("confirmations").notNull().default(2),
    recoveries: smallint("recoveries").notNull().default(1),
    regions: text("regions")
      .array()
      .notNull()
      .default(sql`'{default}'::text[]`),
    /** Regions that must agree for DOWN; null means a majority. */
    quorum: smallint("quorum"),
    paused: boolean("paused").notNull().default(false),
    /** Paused by a downgrade (not by a person): resumed when the plan allows it again. */
    pausedByPlan: boolean("paused_by_plan").notNull().default(false),
    /** The ADMIN's choice on the billing page: kept running first when a downgrade pauses monitors. */
    keepOnDowngrade: boolean("keep_on_downgrade").notNull().default(false),
    state: monitorStateEnum("state").notNull().default("PENDING"),
    stateChangedAt: timestamp("state_changed_at", { withTimezone: true }).notNull().defaultNow(),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    /** Heartbeat monitors: keyed hash of the push token, and the token sealed for display. */
    heartbeatTokenHash: text("heartbeat_token_hash"),
    heartbeatTokenEnc: text("heartbeat_token_enc"),
    heartbeatGraceSeconds: integer("heartbeat_grace_seconds"),
    lastHeartbeatAt: timestamp("last_heartbeat_at", { withTimezone: true }),
    /** Latest certificate seen on an HTTPS/SSL check. */
    certExpiresAt: timestamp("cert_expires_at", { withTimezone: true }),
    /** Notifications: false = the organization's default channels, true = monitor_channels. */
    customChannels: boolean("custom_channels").notNull().default(false),
    /** Re-alert while still DOWN every N minutes (null = never), at most reminderMax times. */
    reminderIntervalMinutes: integer("reminder_interval_minutes"),
    reminderMax: smallint("reminder_max").notNull().default(3),
    /** Hold a recovery alert this long; a relapse within it sends neither (flap damping). */
    recoveryDelaySeconds: integer("recovery_delay_seconds").notNull().default(0),
    /** Lowest SSL-expiry threshold (30/14/7/1 days) already alerted for the current certificate. */
    sslAlertedDays: smallint("ssl_alerted_days"),
    /** Bumped on every change so caches and schedulers know their copy is stale. */
    version: integer("version").notNull().default(1),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("monitors_org_idx").on(t.organizationId, t.createdAt), uniqueIndex("monitors_heartbeat_token_uq").on(t.heartbeatTokenHash)],
);

/** Per-region confirmation counters and the region's own verdict. */
export const monitorRegionState = pgTable(
  "monitor_region_state",
  {
    monitorId: uuid("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    region: text("region").notNull(),
    state: monitorStateEnum("state").notNull().default("PENDING"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    consecutiveSuccesses: integer("consecutive_successes").notNull().default(0),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    lastErrorClass: text("last_error_class"),
    lastMessage: text("last_message"),
    lastStatusCode: smallint("last_status_code"),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.region] })],
);

/** A downtime event: opened when a monitor is confirmed DOWN, closed on recovery. */
export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    monitorId: uuid("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    durationSeconds: integer("duration_seconds"),
    causeErrorClass: text("cause_error_class"),
    causeMessage: text("cause_message"),
    causeStatusCode: smallint("cause_status_code"),
    regionsDown: text("regions_down")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    duringMaintenance: boolean("during_maintenance").notNull().default(false),
    remindersSent: smallint("reminders_sent").notNull().default(0),
    lastRemindedAt: timestamp("last_reminded_at", { withTimezone: true }),
    /**
     * Set when this incident's DOWN alert was not sent because the monitor relapsed within
     * the recovery delay: receivers know the outage by that earlier incident (PagerDuty
     * dedup key, webhook incidentId), so this one's recovery and reminders refer to it.
     */
    alertedIncidentId: uuid("alerted_incident_id").references((): AnyPgColumn => incidents.id, { onDelete: "set null" }),
    /** Someone said "I am on it" (the Incidents page): who and when. */
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedById: uuid("acknowledged_by_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("incidents_org_opened_idx").on(t.organizationId, t.openedAt),
    index("incidents_monitor_opened_idx").on(t.monitorId, t.openedAt),
    // At most one open incident per monitor.
    uniqueIndex("incidents_one_open_uq")
      .on(t.monitorId)
      .where(sql`closed_at is null`),
  ],
);

/**
 * Transactional outbox: every state transition, written in the same transaction as the
 * transition. The notification consumer reads it, so no alert is lost if Redis is.
 */
export const monitorEvents = pgTable(
  "monitor_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    monitorId: uuid("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    incidentId: uuid("incident_id").references(() => incidents.id, { onDelete: "set null" }),
    kind: text("kind").notNull(), // down | recovered | degraded | up | heartbeat_missed | ssl_expiring | reminder
    fromState: monitorStateEnum("from_state"),
    toState: monitorStateEnum("to_state"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** True inside a maintenance window: recorded, never alerted. */
    suppressed: boolean("suppressed").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** The consumer leaves the row alone until then (recovery delay). */
    notifyAfter: timestamp("notify_after", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    index("monitor_events_unprocessed_idx")
      .on(t.id)
      .where(sql`processed_at is null`),
    index("monitor_events_monitor_idx").on(t.monitorId, t.createdAt),
  ],
);

/** The latest failed checks with their messages; raw results keep only numbers. */
export const checkFailures = pgTable(
  "check_failures",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    monitorId: uuid("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    region: text("region").notNull(),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }).notNull(),
    errorClass: text("error_class").notNull(),
    message: text("message"),
    statusCode: smallint("status_code"),
  },
  (t) => [uniqueIndex("check_failures_uq").on(t.monitorId, t.scheduledAt, t.region)],
);

export const maintenanceKindEnum = pgEnum("maintenance_kind", ["one_off", "weekly"]);

export const maintenanceWindows = pgTable(
  "maintenance_windows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Empty means every monitor of the organization. */
    monitorIds: uuid("monitor_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    kind: maintenanceKindEnum("kind").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    /** Weekly: ISO weekdays 1 (Mon) … 7 (Sun), start "HH:MM" in timeZone, length in minutes. */
    weekdays: smallint("weekdays").array(),
    startTime: text("start_time"),
    durationMinutes: integer("duration_minutes"),
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("maintenance_windows_org_idx").on(t.organizationId)],
);

/** Hourly and daily aggregates that answer every uptime % and percentile without raw rows. */
const rollupColumns = {
  monitorSeq: integer("monitor_seq").notNull(),
  bucket: timestamp("bucket", { withTimezone: true }).notNull(),
  checks: integer("checks").notNull(),
  successes: integer("successes").notNull(), // up + degraded
  degraded: integer("degraded").notNull(),
  latencySumMs: bigint("latency_sum_ms", { mode: "number" }).notNull(),
  /** Log-bucketed latency histogram (src/server/monitors/histogram.ts). */
  latencyHist: integer("latency_hist").array().notNull(),
};
export const rollupsHourly = pgTable("check_rollups_hourly", rollupColumns, (t) => [primaryKey({ columns: [t.monitorSeq, t.bucket] })]);
export const rollupsDaily = pgTable("check_rollups_daily", { ...rollupColumns }, (t) => [primaryKey({ columns: [t.monitorSeq, t.bucket] })]);

/**
 * 90-day totals of complete days per monitor (refreshed hourly from the daily rollups) and the
 * running counts of the current day (advanced by every results batch), so "90-day uptime of
 * every monitor" reads one small row per monitor.
 */
export const uptimeSummaries = pgTable("uptime_90d", {
  monitorSeq: integer("monitor_seq").primaryKey(),
  throughDay: date("through_day", { mode: "string" }).notNull(),
  checks: bigint("checks", { mode: "number" }).notNull(),
  successes: bigint("successes", { mode: "number" }).notNull(),
  computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  today: date("today", { mode: "string" }),
  todayChecks: integer("today_checks").notNull().default(0),
  todaySuccesses: integer("today_successes").notNull().default(0),
});

/** Remote probes: one row per probe process identity; the secret is sealed at rest. */
export const probes = pgTable("probes", {
  id: uuid("id").primaryKey().defaultRandom(),
  region: text("region").notNull(),
  name: text("name").notNull(),
  secretEnc: text("secret_enc").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export type Monitor = typeof monitors.$inferSelect;
export type Incident = typeof incidents.$inferSelect;
export type MonitorEvent = typeof monitorEvents.$inferSelect;
export type MaintenanceWindow = typeof maintenanceWindows.$inferSelect;
