import type { Monitor } from "../db/schema";
import type { DnsConfig, ExecutableConfig, HttpConfig, SslConfig, StatusRange, TcpConfig } from "../checks/types";
import { decrypt, encrypt } from "../lib/crypto";
import type { MonitorData } from "../validation/monitors";

/** Secrets kept out of the plain `config` column. */
export type MonitorSecrets = { headers?: Record<string, string>; authPassword?: string; authToken?: string; authUsername?: string };

const secretsAad = (monitorId: string) => `monitor:${monitorId}:secrets`;

/** Splits validated input into the stored plain config and the sealed secrets. */
export function splitConfig(d: MonitorData): { config: Record<string, unknown>; secrets: MonitorSecrets | null } {
  const base = { timeoutMs: d.timeoutMs };
  switch (d.type) {
    case "http": {
      const secrets: MonitorSecrets = {};
      if (Object.keys(d.headers).length) secrets.headers = d.headers;
      if (d.authType === "basic") Object.assign(secrets, { authUsername: d.authUsername, authPassword: d.authPassword ?? "" });
      if (d.authType === "bearer") secrets.authToken = d.authToken;
      return {
        config: {
          ...base,
          url: d.url,
          method: d.method,
          body: d.body,
          authType: d.authType,
          headerNames: Object.keys(d.headers),
          followRedirects: d.followRedirects,
          expectedStatus: d.expectedStatus,
          keyword: d.keyword || undefined,
          keywordAbsent: d.keywordAbsent,
          jsonPath: d.jsonPath || undefined,
          jsonExpected: d.jsonExpected,
          jsonMatch: d.jsonMatch,
          degradedAboveMs: d.degradedAboveMs,
          sslExpiryDays: d.sslExpiryDays,
        },
        secrets: Object.keys(secrets).length ? secrets : null,
      };
    }
    case "tcp":
      return { config: { ...base, host: d.host, port: d.port, degradedAboveMs: d.degradedAboveMs }, secrets: null };
    case "ssl":
      return { config: { ...base, host: d.host, port: d.port ?? 443, expiryThresholdDays: d.expiryThresholdDays }, secrets: null };
    case "dns":
      return { config: { ...base, hostname: d.hostname ?? d.host, recordType: d.recordType, expected: d.expected, resolver: d.resolver }, secrets: null };
    case "heartbeat":
      return { config: { graceSeconds: d.heartbeatGraceSeconds }, secrets: null };
  }
}

export function sealSecrets(monitorId: string, secrets: MonitorSecrets | null): string | null {
  return secrets ? encrypt(JSON.stringify(secrets), secretsAad(monitorId)) : null;
}

export function openSecrets(monitorId: string, sealed: string | null): MonitorSecrets {
  return sealed ? (JSON.parse(decrypt(sealed, secretsAad(monitorId))) as MonitorSecrets) : {};
}

/** The plain `config` column as splitConfig wrote it. */
type StoredConfig = Partial<{
  url: string;
  method: HttpConfig["method"];
  body: string;
  authType: "none" | "basic" | "bearer";
  followRedirects: boolean;
  expectedStatus: StatusRange[];
  keyword: string;
  keywordAbsent: boolean;
  jsonPath: string;
  jsonExpected: string;
  jsonMatch: "equals" | "contains";
  degradedAboveMs: number;
  sslExpiryDays: number;
  host: string;
  port: number;
  expiryThresholdDays: number;
  hostname: string;
  recordType: DnsConfig["recordType"];
  expected: string[];
  resolver: string;
}>;

/** What the executors run. Heartbeat monitors have no executor (they are pushed to). */
export function toExecutable(m: Pick<Monitor, "id" | "type" | "config" | "secretsEnc" | "timeoutMs">): ExecutableConfig | null {
  const c = m.config as StoredConfig;
  switch (m.type) {
    case "http": {
      const s = openSecrets(m.id, m.secretsEnc);
      const auth: HttpConfig["auth"] =
        c.authType === "basic" ? { kind: "basic", username: s.authUsername ?? "", password: s.authPassword ?? "" } : c.authType === "bearer" ? { kind: "bearer", token: s.authToken ?? "" } : undefined;
      return {
        type: "http",
        url: c.url ?? "",
        method: c.method ?? "GET",
        headers: s.headers ?? {},
        body: c.body,
        auth,
        followRedirects: c.followRedirects ?? true,
        expectedStatus: c.expectedStatus ?? [{ from: 200, to: 299 }],
        keyword: c.keyword,
        keywordAbsent: c.keywordAbsent,
        jsonPath: c.jsonPath,
        jsonExpected: c.jsonExpected,
        jsonMatch: c.jsonMatch,
        degradedAboveMs: c.degradedAboveMs,
        sslExpiryDays: c.sslExpiryDays,
        timeoutMs: m.timeoutMs,
      } satisfies HttpConfig;
    }
    case "tcp":
      return { type: "tcp", host: c.host ?? "", port: c.port ?? 0, timeoutMs: m.timeoutMs, degradedAboveMs: c.degradedAboveMs } satisfies TcpConfig;
    case "ssl":
      return { type: "ssl", host: c.host ?? "", port: c.port ?? 443, expiryThresholdDays: c.expiryThresholdDays ?? 14, timeoutMs: m.timeoutMs } satisfies SslConfig;
    case "dns":
      return { type: "dns", hostname: c.hostname ?? "", recordType: c.recordType ?? "A", expected: c.expected ?? [], resolver: c.resolver, timeoutMs: m.timeoutMs } satisfies DnsConfig;
    default:
      return null;
  }
}

/** The stored monitor as schema input, secrets included: the base a partial update is merged onto. */
export function toInput(m: Monitor): Record<string, unknown> {
  const c = m.config as StoredConfig & { graceSeconds?: number };
  const s = m.type === "http" ? openSecrets(m.id, m.secretsEnc) : {};
  const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
  return drop({
    name: m.name,
    type: m.type,
    url: c.url,
    host: c.host,
    port: c.port,
    method: c.method,
    headers: s.headers,
    body: c.body,
    authType: c.authType,
    authUsername: s.authUsername,
    authPassword: s.authPassword,
    authToken: s.authToken,
    followRedirects: c.followRedirects,
    expectedStatus: c.expectedStatus,
    keyword: c.keyword,
    keywordAbsent: c.keywordAbsent,
    jsonPath: c.jsonPath,
    jsonExpected: c.jsonExpected,
    jsonMatch: c.jsonMatch,
    degradedAboveMs: c.degradedAboveMs,
    sslExpiryDays: c.sslExpiryDays,
    hostname: c.hostname,
    recordType: c.recordType,
    expected: c.expected,
    resolver: c.resolver,
    expiryThresholdDays: c.expiryThresholdDays,
    heartbeatGraceSeconds: c.graceSeconds,
    intervalSeconds: m.intervalSeconds,
    timeoutMs: m.timeoutMs,
    confirmations: m.confirmations,
    recoveries: m.recoveries,
    regions: m.regions,
    quorum: m.quorum,
    paused: m.paused,
    reminderIntervalMinutes: m.reminderIntervalMinutes,
    reminderMax: m.reminderMax,
    recoveryDelaySeconds: m.recoveryDelaySeconds,
  });
}
