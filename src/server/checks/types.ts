import type { KindExecutable } from "../monitors/kinds";

/**
 * The contract between monitor configuration, the pure check executors and the engine
 * that schedules them and stores their results. Executors never touch the database.
 */

export const ERROR_CLASSES = [
  "dns", // name did not resolve / DNS record assertion failed to resolve
  "refused", // connection refused or reset
  "timeout", // no answer within the monitor's timeout
  "tls", // handshake failed, untrusted chain, hostname mismatch
  "status", // HTTP status not in the expected set
  "keyword", // keyword missing (or present when it must be absent)
  "json", // JSON path missing or not equal / not containing the expected value
  "ssl_expiry", // certificate expires within the threshold
  "dns_mismatch", // DNS answered, but not with the expected values
  "blocked", // the SSRF guard refused the destination
  "internal", // the executor itself failed unexpectedly
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export type Outcome = "up" | "degraded" | "down";

/** Milliseconds per phase; a phase that did not happen is omitted. */
export type Timings = { dnsMs?: number; connectMs?: number; tlsMs?: number; ttfbMs?: number; totalMs: number };

export type CertificateInfo = {
  subject: string;
  issuer: string;
  validFrom: string; // ISO
  validTo: string; // ISO
  daysRemaining: number;
  authorized: boolean;
  authorizationError?: string;
};

export type CheckResult = {
  outcome: Outcome;
  statusCode?: number;
  errorClass?: ErrorClass;
  /** Human-readable cause, e.g. "Expected status 200-299, got 503". Never contains secrets. */
  message?: string;
  timings: Timings;
  /** Recorded on every HTTPS and SSL check. */
  certificate?: CertificateInfo;
  /** The address actually connected to (after the SSRF guard pinned it). */
  remoteAddress?: string;
};

export type StatusRange = number | { from: number; to: number };

export type HttpConfig = {
  type: "http";
  url: string;
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";
  headers: Record<string, string>;
  body?: string;
  auth?: { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };
  followRedirects: boolean; // at most 5 hops when true
  expectedStatus: StatusRange[]; // default [{from:200,to:299}]
  keyword?: string;
  keywordAbsent?: boolean; // true: DOWN when the keyword IS present
  jsonPath?: string; // e.g. "$.status" or "data.items[0].state"
  jsonExpected?: string;
  jsonMatch?: "equals" | "contains";
  degradedAboveMs?: number; // response-time threshold that marks DEGRADED
  sslExpiryDays?: number; // for https URLs: DOWN (ssl_expiry) when fewer days remain; default 0 = off
  timeoutMs: number;
};

export type TcpConfig = { type: "tcp"; host: string; port: number; timeoutMs: number; degradedAboveMs?: number };

export type SslConfig = {
  type: "ssl";
  host: string;
  port: number; // default 443
  servername?: string; // SNI / hostname to verify; defaults to host
  expiryThresholdDays: number; // DOWN (ssl_expiry) when fewer days remain
  timeoutMs: number;
};

export type DnsRecordType = "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "NS";
export type DnsConfig = {
  type: "dns";
  hostname: string;
  recordType: DnsRecordType;
  /** Every expected value must be present in the answer (order-insensitive, case-insensitive for names). Empty: any answer passes. */
  expected: string[];
  /** Optional resolver "ip" or "ip:port"; the system resolver otherwise. */
  resolver?: string;
  timeoutMs: number;
};

/** What any kind's executor runs: derived from the registry of monitor kinds. */
export type ExecutableConfig = KindExecutable;

export type ExecOptions = {
  /** ALLOW_PRIVATE_TARGETS: self-hosted installs and tests that target loopback. */
  allowPrivate: boolean;
  /** Test seam: a resolver used instead of the system's (e.g. a rebinding resolver). */
  resolve?: (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  /** Test seam for certificate-expiry arithmetic. */
  now?: () => number;
  /** Extra CA certificates to trust (tests with a generated CA). */
  ca?: string | string[];
};

export type Executor<C extends { type: string; timeoutMs: number }> = (config: C, opts: ExecOptions) => Promise<CheckResult>;
