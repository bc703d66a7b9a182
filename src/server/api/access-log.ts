import { pool } from "../db/client";
import { log } from "../log";

export type AccessEntry = { organizationId: string; apiKeyId: string; method: string; route: string; status: number; latencyMs: number; ip: string | null; requestId: string };

/**
 * API access log. Rows are buffered and written in one multi-row insert every 250 ms (or
 * per 500 rows), off the request path: a request costs no extra round trip. A crash can
 * lose the last quarter second of log rows, never a request. A failure to write never
 * fails a request.
 */
type Holder = { buf: AccessEntry[]; timer?: NodeJS.Timeout; flushing?: Promise<void> };
const holder = ((globalThis as unknown as { __perigeeAccessLog?: Holder }).__perigeeAccessLog ??= { buf: [] });

export function recordAccess(e: AccessEntry): void {
  holder.buf.push(e);
  if (holder.buf.length >= 500) void flushAccessLog();
  else if (!holder.timer) {
    holder.timer = setTimeout(() => void flushAccessLog(), 250);
    holder.timer.unref();
  }
}

export async function flushAccessLog(): Promise<void> {
  if (holder.timer) clearTimeout(holder.timer);
  holder.timer = undefined;
  await holder.flushing;
  const rows = holder.buf.splice(0);
  if (!rows.length) return;
  const col = <K extends keyof AccessEntry>(k: K) => rows.map((r) => r[k]);
  holder.flushing = pool()
    .query({
      name: "perigee_api_access_batch",
      text: `insert into api_access_log (organization_id, api_key_id, method, route, status, latency_ms, ip, request_id)
        select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::smallint[], $6::int[], $7::text[], $8::text[])`,
      values: [col("organizationId"), col("apiKeyId"), col("method"), col("route"), col("status"), col("latencyMs"), col("ip"), col("requestId")],
    })
    .then(
      () => undefined,
      (err: unknown) => log.warn("could not record API access", { rows: rows.length, err }),
    );
  await holder.flushing;
}
