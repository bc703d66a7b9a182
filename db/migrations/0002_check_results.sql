-- Raw check results: one row per check per region. High volume, so (a) only fixed-width
-- numeric columns (messages of failures live in check_failures), ordered for alignment;
-- (b) range-partitioned by day on scheduled_at, so retention drops whole partitions;
-- (c) one unique index that both de-duplicates retried jobs and answers "latest N of a monitor".
CREATE TABLE "check_results" (
  "scheduled_at" timestamptz NOT NULL,
  "monitor_seq" integer NOT NULL,
  "total_ms" integer NOT NULL,
  "ttfb_ms" integer NOT NULL,          -- -1: phase did not happen
  "dns_ms" smallint NOT NULL,          -- -1: not applicable; clamped to 32767
  "connect_ms" smallint NOT NULL,
  "tls_ms" smallint NOT NULL,
  "status_code" smallint NOT NULL,     -- 0: none
  "region_id" smallint NOT NULL,
  "outcome" smallint NOT NULL,         -- 0 up, 1 degraded, 2 down
  "error_class" smallint NOT NULL,     -- 0 none, else index+1 in ERROR_CLASSES
  "lateness_ms" smallint NOT NULL      -- start minus scheduled time, clamped
) PARTITION BY RANGE ("scheduled_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "check_results_monitor_time_uq" ON "check_results" ("monitor_seq", "scheduled_at", "region_id");
--> statement-breakpoint
-- Catches rows outside the pre-created daily partitions instead of failing the insert.
CREATE TABLE "check_results_default" PARTITION OF "check_results" DEFAULT;
--> statement-breakpoint
-- Element-wise sum of two latency histograms (arrays of different lengths allowed).
CREATE OR REPLACE FUNCTION perigee_hist_add(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}')
  FROM generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) AS i
$$;
--> statement-breakpoint
INSERT INTO "regions" ("id", "name") VALUES (1, 'default') ON CONFLICT DO NOTHING;
