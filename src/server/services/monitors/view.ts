import { inArray } from "drizzle-orm";
import { db, type DbOrTx } from "../../db/client";
import { monitorChannels, type Monitor } from "../../db/schema";
import { can } from "../../auth/permissions";
import type { Ctx } from "../../context";
import { env } from "../../env";
import { decrypt } from "../../lib/crypto";
import { openSecrets } from "../../monitors/config";

/** The public shape of a monitor (dashboard and API). Secret values are never returned. */
export type MonitorView = ReturnType<typeof toMonitorView>;

export function toMonitorView(m: Monitor, channelIds: string[] = []) {
  const c = m.config as Record<string, unknown>;
  // Only basic auth shows something from the sealed secrets (the username); header names are in config.
  const secrets = m.type === "http" && c.authType === "basic" ? openSecrets(m.id, m.secretsEnc) : {};
  const headerNames = (c.headerNames as string[] | undefined) ?? [];
  return {
    id: m.id,
    name: m.name,
    type: m.type,
    url: c.url as string | undefined,
    host: c.host as string | undefined,
    port: c.port as number | undefined,
    method: c.method as string | undefined,
    // Header names are shown; values may be secrets and are masked.
    headers: Object.fromEntries(headerNames.map((k) => [k, "••••••"])),
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
    /** null = the organization's default channels. */
    channelIds: m.customChannels ? channelIds : null,
    reminderIntervalMinutes: m.reminderIntervalMinutes,
    reminderMax: m.reminderMax,
    recoveryDelaySeconds: m.recoveryDelaySeconds,
    state: m.state,
    stateChangedAt: m.stateChangedAt.toISOString(),
    lastCheckedAt: m.lastCheckedAt?.toISOString() ?? null,
    certExpiresAt: m.certExpiresAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

/**
 * A heartbeat URL lets whoever holds it report "all good", so it is shown only to those who
 * may change the monitor: EDITORs and ADMINs, and API keys with monitors:write.
 */
export function mayRevealHeartbeatUrl(ctx: Ctx): boolean {
  return can(ctx.org.role, "monitors:write") && (!ctx.scopes || ctx.scopes.includes("monitors:write"));
}

/** The view as this reader may see it. */
export function forReader<V extends MonitorView>(ctx: Ctx, v: V): V {
  return mayRevealHeartbeatUrl(ctx) || v.heartbeatUrl === undefined ? v : { ...v, heartbeatUrl: undefined };
}

/** Each monitor's own channel ids (for monitors that chose theirs). */
export async function channelIdsOf(tx: DbOrTx, monitorIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!monitorIds.length) return out;
  const links = await tx.select().from(monitorChannels).where(inArray(monitorChannels.monitorId, monitorIds));
  for (const l of links) (out.get(l.monitorId) ?? out.set(l.monitorId, []).get(l.monitorId)!).push(l.channelId);
  for (const v of out.values()) v.sort();
  return out;
}

/** Views with their channel choice, in one query for any number of monitors. */
export async function toMonitorViews(rows: Monitor[], tx: DbOrTx = db()): Promise<MonitorView[]> {
  const links = await channelIdsOf(tx, rows.filter((m) => m.customChannels).map((m) => m.id));
  return rows.map((m) => toMonitorView(m, links.get(m.id) ?? []));
}
