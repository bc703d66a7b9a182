import { pool } from "../db/client";
import { log } from "../log";

export type AccessEntry = { organizationId: string; apiKeyId: string; method: string; route: string; status: number; latencyMs: number; ip: string | null; requestId: string };

/** Records one API request; a failure to record never fails the request. */
export async function recordAccess(e: AccessEntry): Promise<void> {
  try {
    await pool().query({
      name: "perigee_api_access",
      text: "insert into api_access_log (organization_id, api_key_id, method, route, status, latency_ms, ip, request_id) values ($1, $2, $3, $4, $5, $6, $7, $8)",
      values: [e.organizationId, e.apiKeyId, e.method, e.route, e.status, e.latencyMs, e.ip, e.requestId],
    });
  } catch (err) {
    log.warn("could not record API access", { requestId: e.requestId, err });
  }
}
