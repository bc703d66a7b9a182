import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { CHANNEL_TYPES } from "../../notifications/providers";
import { monitorEvents, monitors } from "./monitors";
import { organizations } from "./organizations";
import { users } from "./users";

export const channelTypeEnum = pgEnum("channel_type", CHANNEL_TYPES);
export type ChannelType = (typeof channelTypeEnum.enumValues)[number];

/**
 * A place alerts go. `config` holds only what may be shown (recipients, chat id, base URL);
 * `secretsEnc` holds the rest (webhook URLs, tokens, keys) sealed with AES-256-GCM and bound
 * to this organization and row, so a ciphertext copied elsewhere will not decrypt.
 */
export const notificationChannels = pgTable(
  "notification_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: channelTypeEnum("type").notNull(),
    /** Used by monitors that did not choose their own channels. */
    isDefault: boolean("is_default").notNull().default(false),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    secretsEnc: text("secrets_enc"),
    /** Last delivery failure, shown on the channel until a delivery succeeds. */
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
    lastDeliveredAt: timestamp("last_delivered_at", { withTimezone: true }),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notification_channels_org_idx").on(t.organizationId, t.createdAt)],
);

/** A monitor's own channel choice (used when monitors.custom_channels is true). */
export const monitorChannels = pgTable(
  "monitor_channels",
  {
    monitorId: uuid("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannels.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.monitorId, t.channelId] }), index("monitor_channels_channel_idx").on(t.channelId)],
);

export const deliveryStatusEnum = pgEnum("delivery_status", ["pending", "sending", "delivered", "failed", "skipped"]);
export type DeliveryStatus = (typeof deliveryStatusEnum.enumValues)[number];

/**
 * One row per (event, channel): the durable record of a delivery. Its claim (a lease) keeps two
 * senders from sending it at once, and a delivered row is never sent again; a sender that dies
 * after the receiver answered and before the status write leaves the lease to expire, and the
 * delivery is sent again with the same webhook-id (at least once: docs/webhooks.md). BullMQ jobs
 * are derived from it (job id = delivery id) and are re-created from it after Redis is lost.
 */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => monitorEvents.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id")
      .notNull()
      .references(() => notificationChannels.id, { onDelete: "cascade" }),
    status: deliveryStatusEnum("status").notNull().default("pending"),
    attempts: smallint("attempts").notNull().default(0),
    /** A sender holding the row; another may take it after this time (crash recovery). */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("notification_deliveries_event_channel_uq").on(t.eventId, t.channelId), index("notification_deliveries_pending_idx").on(t.createdAt).where(sqlPending())],
);

/** Every attempt, for the dashboard's notification log. */
export const notificationLog = pgTable(
  "notification_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    deliveryId: uuid("delivery_id").references(() => notificationDeliveries.id, { onDelete: "set null" }),
    channelId: uuid("channel_id").references(() => notificationChannels.id, { onDelete: "set null" }),
    channelName: text("channel_name").notNull(),
    channelType: channelTypeEnum("channel_type").notNull(),
    monitorId: uuid("monitor_id").references(() => monitors.id, { onDelete: "set null" }),
    /** down | recovered | degraded | ssl_expiring | heartbeat_missed | reminder | test */
    eventKind: text("event_kind").notNull(),
    attempt: smallint("attempt").notNull(),
    /** sending (attempt under way) | delivered | skipped | retrying | failed | interrupted (the sender died mid-attempt) */
    status: text("status").notNull(),
    httpStatus: smallint("http_status"),
    error: text("error"),
    /** What the receiver answered (truncated), for "send test" and debugging. */
    response: text("response"),
    latencyMs: integer("latency_ms").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("notification_log_org_created_idx").on(t.organizationId, t.createdAt),
    index("notification_log_channel_created_idx").on(t.channelId, t.createdAt),
    // An attempt's row is written when it starts and finished in place (notifications/deliver.ts).
    index("notification_log_delivery_attempt_idx").on(t.deliveryId, t.attempt),
  ],
);

function sqlPending() {
  return sql`status in ('pending', 'sending')`;
}

export type NotificationChannel = typeof notificationChannels.$inferSelect;
export type NotificationDelivery = typeof notificationDeliveries.$inferSelect;
export type NotificationLogEntry = typeof notificationLog.$inferSelect;
