import { sql } from "drizzle-orm";
import { decodeResultCode } from "./result-codes";

/** One raw check as readers see it (dashboard chart and REST results). */
export type ResultPoint = {
  at: string;
  region: string;
  outcome: "up" | "degraded" | "down";
  statusCode: number | null;
  errorClass: string | null;
  totalMs: number;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
};

/** The columns of check_results a ResultPoint is made from. */
export const RESULT_COLUMNS = sql`scheduled_at, region_id, result, status_code, total_ms, dns_ms, connect_ms, tls_ms, ttfb_ms`;

export type ResultRow = {
  scheduled_at: Date | string;
  region_id: number;
  result: number;
  status_code: number;
  total_ms: number;
  dns_ms: number;
  connect_ms: number;
  tls_ms: number;
  ttfb_ms: number;
};

/** A phase that did not happen is stored as -1 (fixed-width rows). */
const opt = (n: number) => (n < 0 ? null : n);

export function toResultPoint(x: ResultRow, regionNames: Map<number, string>): ResultPoint {
  return {
    at: new Date(x.scheduled_at).toISOString(),
    region: regionNames.get(x.region_id) ?? String(x.region_id),
    ...decodeResultCode(x.result),
    statusCode: x.status_code || null,
    totalMs: x.total_ms,
    dnsMs: opt(x.dns_ms),
    connectMs: opt(x.connect_ms),
    tlsMs: opt(x.tls_ms),
    ttfbMs: opt(x.ttfb_ms),
  };
}
