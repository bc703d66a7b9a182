import { bigserial, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

/**
 * REST API keys. The key itself is shown once; only its SHA-256 and a display prefix are kept.
 * A key acts as its creator, within its scopes and never beyond the creator's current role.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdById: uuid("created_by_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** e.g. "pk_live_3kF9" — enough to recognise a key in a list, useless to an attacker. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.keyHash), index("api_keys_org_idx").on(t.organizationId, t.createdAt)],
);

/** One row per API request, with the caller's IP: kept for the plan's retention (the daily retention job, privacy/retention.ts). */
export const apiAccessLog = pgTable(
  "api_access_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    method: text("method").notNull(),
    /** The route pattern, e.g. "/api/v1/monitors/{id}" — never ids or query strings. */
    route: text("route").notNull(),
    status: smallint("status").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    ip: text("ip"),
    requestId: text("request_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("api_access_log_key_created_idx").on(t.apiKeyId, t.createdAt), index("api_access_log_org_created_idx").on(t.organizationId, t.createdAt)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
