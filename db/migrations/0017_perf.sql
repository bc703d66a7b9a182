ALTER TABLE "uptime_90d" ADD COLUMN "today" date;--> statement-breakpoint
ALTER TABLE "uptime_90d" ADD COLUMN "today_checks" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "uptime_90d" ADD COLUMN "today_successes" integer DEFAULT 0 NOT NULL;