import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * True while the organization in `orgIdColumn` is not deleted. A deleted organization is
 * inert at once (issue 13): every query that schedules checks, accepts pings or sends
 * anything on its behalf adds this condition, so a restore brings it all back unchanged.
 */
export function orgIsLive(orgIdColumn: AnyPgColumn): SQL {
  return sql`not exists (select 1 from organizations o_del where o_del.id = ${orgIdColumn} and o_del.deleted_at is not null)`;
}
