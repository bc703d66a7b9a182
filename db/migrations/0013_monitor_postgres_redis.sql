ALTER TYPE "public"."monitor_type" ADD VALUE 'postgres';--> statement-breakpoint
ALTER TYPE "public"."monitor_type" ADD VALUE 'redis';