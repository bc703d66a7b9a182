CREATE INDEX "notification_log_delivery_attempt_idx" ON "notification_log" USING btree ("delivery_id","attempt");--> statement-breakpoint
-- Lateness (start minus scheduled time) saturated at 32,767 ms as a plain smallint. It keeps its
-- two bytes (the row stays a 56-byte tuple) with a wider code: 0..32767 are milliseconds,
-- a negative value -n is n whole seconds (33 s up to 32,768 s ≈ 9.1 h). Existing values are
-- already valid milliseconds. Read it with perigee_lateness_ms(lateness).
ALTER TABLE "check_results" RENAME COLUMN "lateness_ms" TO "lateness";
--> statement-breakpoint
CREATE OR REPLACE FUNCTION perigee_lateness_ms(code smallint) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN code < 0 THEN -code::integer * 1000 ELSE code::integer END $$;
