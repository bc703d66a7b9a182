import type { z } from "zod";
import { inArray } from "drizzle-orm";
import { db, type DbOrTx } from "../../db/client";
import { monitorChannels, type Monitor } from "../../db/schema";
import { can } from "../../auth/permissions";
import type { Ctx } from "../../context";
import { openSecrets, type MonitorSecrets } from "../../monitors/config";
import { kindOf } from "../../monitors/kinds";
import type { monitorViewSchema } from "../../monitors/schema";

/** The public shape of a monitor (dashboard and API). Secret values are never returned. */
export type MonitorView = z.output<typeof monitorViewSchema>;

/** Common fields plus the view fields of the monitor's kind. */
export function toMonitorView(m: Monitor, channelIds: string[] = []): MonitorView {
  const kind = kindOf(m.type);
  let secrets: MonitorSecrets | undefined;
  const kindFields = kind ? kind.toView(m, m.config, () => (secrets ??= openSecrets(m.id, m.secretsEnc))) : {};
  return {
    id: m.id,
    name: m.name,
    type: m.type,
    ...kindFields,
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
  const links = await channelIdsOf(
    tx,
    rows.filter((m) => m.customChannels).map((m) => m.id),
  );
  return rows.map((m) => toMonitorView(m, links.get(m.id) ?? []));
}
