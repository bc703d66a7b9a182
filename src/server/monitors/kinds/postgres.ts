import net from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import pg from "pg";
import { z } from "zod";
import { classifyError } from "../../checks/executors/errors";
import { PhaseClock, timeoutMessage, type Phase } from "../../checks/executors/shared";
import { resolvePinned } from "../../checks/ssrf";
import type { CheckResult, ExecOptions } from "../../checks/types";
import { defineKind, hostPort, num, str, hostPortFields, hostTarget } from "./kind";
import { host } from "./tcp";

const TLS_MODES = ["disable", "require", "verify-full"] as const;

export type PostgresConfig = {
  type: "postgres";
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  tlsMode: (typeof TLS_MODES)[number];
  /** PEM CA bundle trusted (with the system roots) for verify-full. */
  tlsCa?: string;
  /** Optional SELECT that must return at least one row (run read-only). */
  query?: string;
  timeoutMs: number;
};

/** Why the server refused, by SQLSTATE; anything else is named by its code only (server text may quote data). */
const SQLSTATE: Record<string, { errorClass: CheckResult["errorClass"]; message: (c: PostgresConfig) => string }> = {
  "28P01": { errorClass: "refused", message: (c) => `Authentication failed for user "${c.username}" (wrong user name or password)` },
  "28000": { errorClass: "refused", message: (c) => `The server refused the connection for user "${c.username}" (no matching pg_hba.conf entry or role)` },
  "3D000": { errorClass: "refused", message: (c) => `Database "${c.database}" does not exist` },
  "57014": { errorClass: "timeout", message: (c) => `The query did not finish within ${c.timeoutMs} ms (statement_timeout)` },
  "25006": { errorClass: "status", message: () => "The query tried to write; only read-only queries can be run" },
  "53300": { errorClass: "refused", message: () => "The server has too many connections" },
  "57P03": { errorClass: "refused", message: () => "The server is starting up or shutting down" },
};

/** A check query runs as `SELECT 1 FROM (<query>) LIMIT 1`: one statement, one row at most. */
function checkQuery(q: string): string {
  return `SELECT 1 AS ok FROM (\n${q.trim().replace(/;\s*$/, "")}\n) AS perigee_check LIMIT 1`;
}

/**
 * UP when a session opens (TLS as configured, authenticated, database present) and the
 * optional query returns a row. The host is resolved once by the SSRF guard and the driver is
 * given that address; TLS still verifies the name.
 */
function postgresExecutor(cfg: PostgresConfig, opts: ExecOptions): Promise<CheckResult> {
  return new Promise<CheckResult>((resolve) => {
    const clock = new PhaseClock(performance.now());
    const target = hostPort(cfg.host, cfg.port) ?? "the server";
    let phase: Phase = net.isIP(cfg.host.replace(/^\[|\]$/g, "")) ? "while connecting" : "while resolving";
    let client: pg.Client | undefined;
    let settled = false;
    const settle = (r: Omit<CheckResult, "timings">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client?.end().catch(() => undefined);
      if (client) (client as unknown as { connection?: { stream?: net.Socket } }).connection?.stream?.destroy();
      resolve({ ...r, timings: { ...clock.durations(), totalMs: clock.at() } });
    };
    const timer = setTimeout(() => settle({ outcome: "down", errorClass: "timeout", message: timeoutMessage(target, cfg.timeoutMs, phase) }), cfg.timeoutMs);
    const fail = (e: unknown) => {
      const code = String((e as { code?: unknown })?.code ?? "");
      const known = SQLSTATE[code];
      if (known) return settle({ outcome: "down", errorClass: known.errorClass, message: known.message(cfg) });
      if (/^[0-9A-Z]{5}$/.test(code) && (e as { severity?: unknown })?.severity)
        return settle({ outcome: "down", errorClass: "status", message: `The server answered with an error (SQLSTATE ${code})` });
      if (/does not support SSL/i.test(String((e as Error)?.message))) return settle({ outcome: "down", errorClass: "tls", message: `${target} does not support TLS (TLS mode ${cfg.tlsMode})` });
      settle({ outcome: "down", ...classifyError(e, target) });
    };

    (async () => {
      const pinned = await resolvePinned(cfg.host, opts);
      clock.mark("lookup");
      phase = "while connecting";
      const servername = net.isIP(cfg.host.replace(/^\[|\]$/g, "")) ? undefined : cfg.host;
      const socket = new net.Socket();
      socket.once("connect", () => {
        clock.mark("connect");
        if (cfg.tlsMode !== "disable") phase = "during the TLS handshake";
      });
      const ca = cfg.tlsCa ? [...tls.rootCertificates, cfg.tlsCa, ...[opts.ca ?? []].flat()] : opts.ca ? [...tls.rootCertificates, ...[opts.ca].flat()] : undefined;
      client = new pg.Client({
        host: pinned.address,
        port: cfg.port,
        database: cfg.database,
        user: cfg.username,
        password: cfg.password,
        stream: () => socket,
        ssl: cfg.tlsMode === "disable" ? false : cfg.tlsMode === "require" ? { rejectUnauthorized: false, servername } : { rejectUnauthorized: true, servername, ca },
        statement_timeout: cfg.timeoutMs,
        application_name: "perigee-monitor",
        connectionTimeoutMillis: cfg.timeoutMs,
      });
      client.on("error", fail);
      (client as unknown as { connection: { once: (e: string, f: () => void) => void; stream: tls.TLSSocket } }).connection.once("sslconnect", () => {
        const conn = (client as unknown as { connection: { stream: tls.TLSSocket } }).connection;
        conn.stream.once("secureConnect", () => {
          clock.mark("secure");
          phase = "while waiting for the response";
        });
      });
      await client.connect();
      if (cfg.tlsMode === "disable") phase = "while waiting for the response";
      let rows = 1;
      if (cfg.query) {
        await client.query("BEGIN READ ONLY");
        // Extended protocol (rows): one statement only, so nothing can end the read-only transaction.
        rows = (await client.query({ text: checkQuery(cfg.query), rows: 1 } as pg.QueryConfig)).rows.length;
        await client.query("ROLLBACK");
      }
      clock.mark("response");
      if (rows < 1) return settle({ outcome: "down", errorClass: "status", message: "The query returned no rows" });
      settle({ outcome: "up", ...(socket.remoteAddress ? { remoteAddress: socket.remoteAddress } : {}) });
    })().catch(fail);
  });
}

/** PostgreSQL: a session opens (TLS as configured) and an optional query returns a row. */
export const postgres = defineKind({
  type: "postgres",
  label: "PostgreSQL",
  fields: {
    host,
    port: z.coerce.number({ error: "Port must be a number" }).int("Port must be a whole number").min(1, "Port must be 1-65535").max(65535, "Port must be 1-65535").default(5432),
    database: z.string().trim().min(1, "Database is required").max(63, "Database names are at most 63 characters").default("postgres"),
    username: z.string().trim().min(1, "User is required").max(63, "User names are at most 63 characters").default("postgres"),
    password: z.string().max(1024, "Password is too long").optional(),
    tlsMode: z.enum(TLS_MODES, { error: "TLS mode must be disable, require or verify-full" }).default("require"),
    tlsCa: z.string().trim().max(65_536, "CA certificate is too long").optional(),
    query: z.string().trim().max(4096, "Query must be at most 4096 characters").optional(),
  },
  refine(v, need) {
    if (!v.host) need("host", "Host is required");
    if (v.tlsCa && !/-----BEGIN CERTIFICATE-----/.test(v.tlsCa)) need("tlsCa", "Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)");
    if (v.tlsCa && v.tlsMode !== "verify-full") need("tlsCa", "A CA certificate is used only with TLS mode verify-full");
    if (v.query && !/^\s*(select|with|values|table)\b/i.test(v.query)) need("query", "Only a read-only SELECT query can be run");
  },
  secretFields: ["password"],
  split: (d) => ({
    config: { host: d.host, port: d.port, database: d.database, username: d.username, tlsMode: d.tlsMode, tlsCa: d.tlsCa || undefined, query: d.query || undefined },
    secrets: d.password ? { password: d.password } : null,
  }),
  toInput: (c, secrets) => ({ host: c.host, port: c.port, database: c.database, username: c.username, password: secrets().password, tlsMode: c.tlsMode, tlsCa: c.tlsCa, query: c.query }),
  check: {
    toExecutable: (c, secrets, timeoutMs): PostgresConfig => ({
      type: "postgres",
      host: str(c.host) ?? "",
      port: num(c.port) ?? 5432,
      database: str(c.database) ?? "postgres",
      username: str(c.username) ?? "postgres",
      password: str(secrets().password) ?? "",
      tlsMode: (c.tlsMode as PostgresConfig["tlsMode"] | undefined) ?? "require",
      tlsCa: str(c.tlsCa),
      query: str(c.query),
      timeoutMs,
    }),
    execute: postgresExecutor,
  },
  target: (c) => {
    const hp = hostPort(c.host, c.port ?? 5432);
    return hp && `${hp}/${str(c.database) ?? "postgres"}`;
  },
  targets: hostTarget,
  form: {
    title: "PostgreSQL",
    description: "A database accepts a session and answers a query",
    namePlaceholder: "Orders database",
    testable: true,
    fields: [
      ...hostPortFields("db.example.com", 5432),
      { name: "database", label: "Database", control: "text", default: "postgres", row: "login" },
      { name: "username", label: "User", control: "text", default: "postgres", row: "login" },
      { name: "password", label: "Password", control: "password", secret: true, hint: "Stored encrypted; a read-only role is enough" },
      {
        name: "tlsMode",
        label: "TLS",
        control: "select",
        options: [
          ["disable", "Disable"],
          ["require", "Require (encrypt, don't verify)"],
          ["verify-full", "Verify full (certificate and host name)"],
        ],
        default: "require",
      },
      {
        name: "tlsCa",
        label: "CA certificate (optional)",
        control: "textarea",
        placeholder: "-----BEGIN CERTIFICATE-----",
        hint: "PEM; trusted besides the system roots",
        when: { field: "tlsMode", in: ["verify-full"] },
      },
      {
        name: "query",
        label: "Query (optional)",
        control: "textarea",
        placeholder: "SELECT 1 FROM orders WHERE created_at > now() - interval '1 hour'",
        hint: "Must return at least one row; runs read-only, within the timeout",
      },
    ],
  },
  view: {
    host: z.string().optional(),
    port: z.number().optional(),
    database: z.string().optional(),
    username: z.string().optional(),
    tlsMode: z.string().optional(),
    tlsCa: z.string().optional(),
    query: z.string().optional(),
  },
  toView: (_m, c) => ({ host: str(c.host), port: num(c.port), database: str(c.database), username: str(c.username), tlsMode: str(c.tlsMode), tlsCa: str(c.tlsCa), query: str(c.query) }),
});
