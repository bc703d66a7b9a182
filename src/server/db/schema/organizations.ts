import { boolean, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

export const roleEnum = pgEnum("role", ["ADMIN", "EDITOR", "VIEWER"]);
export type Role = (typeof roleEnum.enumValues)[number];

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** The operator's overrides (`org:limits`), on top of any plan; null = the plan's figure. */
  maxMonitors: integer("max_monitors"),
  minIntervalSeconds: integer("min_interval_seconds"),
  // Billing (billing/effective.ts turns these into the plan that applies). Card data never
  // reaches Perigee: only Stripe's ids and the subscription's state as Stripe last said it.
  /** A comped plan set by the operator (`org:plan`), until planOverrideUntil (null = no end). */
  planOverride: text("plan_override"),
  planOverrideUntil: timestamp("plan_override_until", { withTimezone: true }),
  stripeCustomerId: text("stripe_customer_id").unique(),
  stripeSubscriptionId: text("stripe_subscription_id"),
  /** The paid plan the subscription's price maps to. */
  subscriptionPlan: text("subscription_plan"),
  subscriptionInterval: text("subscription_interval"),
  /** Stripe's status: trialing, active, past_due, canceled, unpaid, incomplete, incomplete_expired, paused. */
  subscriptionStatus: text("subscription_status"),
  currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
  cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
  trialEndsAt: timestamp("trial_ends_at", { withTimezone: true }),
  /** When the subscription first went past_due (start of the grace period); null otherwise. */
  pastDueSince: timestamp("past_due_since", { withTimezone: true }),
  /** A trial is given on the first upgrade only. */
  trialUsed: boolean("trial_used").notNull().default(false),
  /** The plan whose limits were last applied to existing monitors/pages (downgrade enforcement). */
  enforcedPlan: text("enforced_plan"),
  // Erasure (privacy/): a deleted organization is inert at once and purged after purgeAfter.
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
  deletedById: uuid("deleted_by_id"),
  purgeAfter: timestamp("purge_after", { withTimezone: true }),
  /** HMAC of the restore link's token (the link is mailed, never stored). */
  restoreTokenHash: text("restore_token_hash"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable(
  "memberships",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedById: uuid("invited_by_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("invitations_token_hash_uq").on(t.tokenHash), index("invitations_org_idx").on(t.organizationId)],
);

/**
 * Invoices as Stripe reported them (invoice.paid / payment_failed). Kept as the law requires
 * when an organization is purged: the organization link is set null, nothing personal stays.
 */
export const billingInvoices = pgTable(
  "billing_invoices",
  {
    id: text("id").primaryKey(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    number: text("number"),
    status: text("status").notNull(),
    currency: text("currency").notNull(),
    amountDue: integer("amount_due").notNull(),
    amountPaid: integer("amount_paid").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }),
    periodEnd: timestamp("period_end", { withTimezone: true }),
    hostedInvoiceUrl: text("hosted_invoice_url"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("billing_invoices_org_idx").on(t.organizationId, t.createdAt)],
);

/**
 * Stripe webhook events applied, by event id, written in the same transaction as the event's
 * effect: a redelivered event finds its id and changes nothing.
 */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
  processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
});

/** SMS sent (and skipped for want of credits) per organization and calendar month (UTC). */
export const smsUsage = pgTable(
  "sms_usage",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    month: date("month").notNull(),
    sent: integer("sent").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.month] })],
);

export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
