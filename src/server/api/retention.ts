import { sql } from "drizzle-orm";
import { deleteInBatches } from "../privacy/results";

/**
 * API access log retention (request lines with the caller's IP): rows of these organizations
 * older than `before` are deleted in batches. The daily retention job (privacy/retention.ts)
 * calls it with each plan's retention.
 */
export async function purgeApiAccessLog(organizationIds: string[], before: Date): Promise<number> {
  if (!organizationIds.length) return 0;
  return deleteInBatches(
    (limit) => sql`delete from api_access_log where id = any(array(
      select id from api_access_log where organization_id = any(${sql.param(organizationIds)}::uuid[]) and created_at < ${before.toISOString()}::timestamptz limit ${limit}))`,
  );
}
