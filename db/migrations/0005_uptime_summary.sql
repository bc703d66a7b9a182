CREATE TABLE "uptime_90d" (
	"monitor_seq" integer PRIMARY KEY NOT NULL,
	"through_day" date NOT NULL,
	"checks" bigint NOT NULL,
	"successes" bigint NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
