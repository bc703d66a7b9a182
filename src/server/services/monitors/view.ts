import type { Monitor } from "../../db/schema";
import { env } from "../../env";
import { decrypt } from "../../lib/crypto";
import { openSecrets } from "../../monitors/config";

/** The public shape of a monitor (dashboard and API). Secret values are never returned. */
export type MonitorView = ReturnType<typeof toMonitorView>;

export function toMonitorView(m: Monitor) {
  const c = m.config as Record<string, unknown>;
  const secrets = m.type === "http" ? openSecrets(m.id, m.secretsEnc) : {};
  return {
    id: m.id,
    name: m.name,
    type: m.type,
    url: c.url as string | undefined,
    host: c.host as string | undefined,
    port: c.port as number | undefined,
    method: c.method as string | undefined,
    // Header names are shown; values may be secrets and are masked.
    headers: Object.fromEntries(Object.keys(secrets.headers ?? {}).map((k) => [k, "••••••"])),
    body: c.body as string | undefined,
    authType: (c.authType as string | undefined) ?? "none",
    authUsername: secrets.authUsername,
    followRedirects: c.followRedirects as boolean | undefined,
    expectedStatus: c.expectedStatus,
    keyword: c.keyword as string | undefined,
    keywordAbsent: c.keywordAbsent as boolean | undefined,
    jsonPath: c.jsonPath as string | undefined,
    jsonExpected: c.jsonExpected as string | undefined,
    jsonMatch: c.jsonMatch as string | undefined,
    degradedAboveMs: c.degradedAboveMs as number | undefined,
    sslExpiryDays: c.sslExpiryDays as number | undefined,
    hostname: c.hostname as string | undefined,
    recordType: c.recordType as string | undefined,
    expected: c.expected as string[] | undefined,
    resolver: c.resolver as string | undefined,
    expiryThresholdDays: c.expiryThresholdDays as number | undefined,
    heartbeatGraceSeconds: c.graceSeconds as number | undefined,
    heartbeatUrl: m.heartbeatTokenEnc ? `${env().APP_URL}/api/heartbeat/${decrypt(m.heartbeatTokenEnc, `monitor:${m.id}:heartbeat`)}` : undefined,
    intervalSeconds: m.intervalSeconds,
    timeoutMs: m.timeoutMs,
    confirmations: m.confirmations,
    recoveries: m.recoveries,
    regions: m.regions,
    quorum: m.quorum,
    paused: m.paused,
    state: m.state,
    stateChangedAt: m.stateChangedAt.toISOString(),
    lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null,
    certExpiresAt: m.certExpiresAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
