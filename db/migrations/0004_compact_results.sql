-- Compacter raw results (bench (d)): the outcome and the error class share one smallint
-- ("result" = outcome * 16 + error class), and time-to-first-byte is a smallint clamped at
-- 32767 ms. Eight smallints + two ints + one timestamp = 32 bytes of data, a 56-byte tuple.
-- The index is created with fillfactor 100; the daily compaction job rebuilds yesterday's
-- partition index fully packed once no more rows arrive for it. Pre-release: no data kept.
DROP TABLE IF EXISTS "check_results" CASCADE;
--> statement-breakpoint
CREATE TABLE "check_results" (
  "scheduled_at" timestamptz NOT NULL,
  "monitor_seq" integer NOT NULL,
  "total_ms" integer NOT NULL,
  "ttfb_ms" smallint NOT NULL,        -- -1: phase did not happen; clamped to 32767
  "dns_ms" smallint NOT NULL,         -- -1: not applicable; clamped to 32767
  "connect_ms" smallint NOT NULL,
  "tls_ms" smallint NOT NULL,
  "status_code" smallint NOT NULL,    -- 0: none
  "region_id" smallint NOT NULL,
  "result" smallint NOT NULL,         -- outcome * 16 + error class (0 none, else index+1 in ERROR_CLASSES); outcome 0 up, 1 degraded, 2 down
  "lateness_ms" smallint NOT NULL     -- start minus scheduled time, clamped
) PARTITION BY RANGE ("scheduled_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "check_results_monitor_time_uq" ON "check_results" ("monitor_seq", "scheduled_at", "region_id") WITH (fillfactor = 100);
--> statement-breakpoint
CREATE TABLE "check_results_default" PARTITION OF "check_results" DEFAULT;
