import { getTableColumns } from "drizzle-orm";
import { monitors } from "../db/schema";

/**
 * `select <every monitor column> as "<its camelCase key>"` — for hot read paths that go
 * straight to pg (named statements, no ORM mapping) yet return the same `Monitor` rows.
 */
export const MONITOR_COLUMNS = Object.entries(getTableColumns(monitors))
  .map(([key, col]) => `m."${col.name}" as "${key}"`)
  .join(", ");
