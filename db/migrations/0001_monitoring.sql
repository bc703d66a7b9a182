CREATE TYPE "public"."maintenance_kind" AS ENUM('one_off', 'weekly');--> statement-breakpoint
CREATE TYPE "public"."monitor_state" AS ENUM('PENDING', 'UP', 'DEGRADED', 'DOWN', 'PAUSED');--> statement-breakpoint
CREATE TYPE "public"."monitor_type" AS ENUM('http', 'tcp', 'ssl', 'dns', 'heartbeat');--> statement-breakpoint
CREATE TABLE "check_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"monitor_id" uuid NOT NULL,
	"region" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"error_class" text NOT NULL,
	"message" text,
	"status_code" smallint
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"monitor_id" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"duration_seconds" integer,
	"cause_error_class" text,
	"cause_message" text,
	"cause_status_code" smallint,
	"regions_down" text[] DEFAULT '{}'::text[] NOT NULL,
	"during_maintenance" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"monitor_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"kind" "maintenance_kind" NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"weekdays" smallint[],
	"start_time" text,
	"duration_minutes" integer,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitor_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"monitor_id" uuid NOT NULL,
	"incident_id" uuid,
	"kind" text NOT NULL,
	"from_state" "monitor_state",
	"to_state" "monitor_state",
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"suppressed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "monitor_region_state" (
	"monitor_id" uuid NOT NULL,
	"region" text NOT NULL,
	"state" "monitor_state" DEFAULT 'PENDING' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"consecutive_successes" integer DEFAULT 0 NOT NULL,
	"last_checked_at" timestamp with time zone,
	"last_error_class" text,
	"last_message" text,
	"last_status_code" smallint,
	CONSTRAINT "monitor_region_state_monitor_id_region_pk" PRIMARY KEY("monitor_id","region")
);
--> statement-breakpoint
CREATE TABLE "monitors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" serial NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" "monitor_type" NOT NULL,
	"config" jsonb NOT NULL,
	"secrets_enc" text,
	"interval_seconds" integer NOT NULL,
	"timeout_ms" integer NOT NULL,
	"confirmations" smallint DEFAULT 2 NOT NULL,
	"recoveries" smallint DEFAULT 1 NOT NULL,
	"regions" text[] DEFAULT '{default}'::text[] NOT NULL,
	"quorum" smallint,
	"paused" boolean DEFAULT false NOT NULL,
	"state" "monitor_state" DEFAULT 'PENDING' NOT NULL,
	"state_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_checked_at" timestamp with time zone,
	"heartbeat_token_hash" text,
	"heartbeat_token_enc" text,
	"heartbeat_grace_seconds" integer,
	"last_heartbeat_at" timestamp with time zone,
	"cert_expires_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitors_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "probes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"region" text NOT NULL,
	"name" text NOT NULL,
	"secret_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" smallint PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regions_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "check_rollups_daily" (
	"monitor_seq" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"checks" integer NOT NULL,
	"successes" integer NOT NULL,
	"degraded" integer NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"latency_hist" integer[] NOT NULL,
	CONSTRAINT "check_rollups_daily_monitor_seq_bucket_pk" PRIMARY KEY("monitor_seq","bucket")
);
--> statement-breakpoint
CREATE TABLE "check_rollups_hourly" (
	"monitor_seq" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"checks" integer NOT NULL,
	"successes" integer NOT NULL,
	"degraded" integer NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"latency_hist" integer[] NOT NULL,
	CONSTRAINT "check_rollups_hourly_monitor_seq_bucket_pk" PRIMARY KEY("monitor_seq","bucket")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "max_monitors" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "min_interval_seconds" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "check_failures" ADD CONSTRAINT "check_failures_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitor_region_state" ADD CONSTRAINT "monitor_region_state_monitor_id_monitors_id_fk" FOREIGN KEY ("monitor_id") REFERENCES "public"."monitors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "check_failures_uq" ON "check_failures" USING btree ("monitor_id","scheduled_at","region");--> statement-breakpoint
CREATE INDEX "incidents_org_opened_idx" ON "incidents" USING btree ("organization_id","opened_at");--> statement-breakpoint
CREATE INDEX "incidents_monitor_opened_idx" ON "incidents" USING btree ("monitor_id","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_one_open_uq" ON "incidents" USING btree ("monitor_id") WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX "maintenance_windows_org_idx" ON "maintenance_windows" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "monitor_events_unprocessed_idx" ON "monitor_events" USING btree ("id") WHERE processed_at is null;--> statement-breakpoint
CREATE INDEX "monitor_events_monitor_idx" ON "monitor_events" USING btree ("monitor_id","created_at");--> statement-breakpoint
CREATE INDEX "monitors_org_idx" ON "monitors" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "monitors_heartbeat_token_uq" ON "monitors" USING btree ("heartbeat_token_hash");