import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { encrypt, hashToken, randomToken } from "../../lib/crypto";
import { sealSecrets, splitConfig } from "../../monitors/config";
import { syncScheduleSafely } from "../../monitors/schedule";
import { assertTargetsAllowed } from "../../monitors/targets";
import { assertRegionsExist } from "../../monitors/regions";
import { parseMonitorInput, type MonitorInput } from "../../monitors/schema";
import { assertCountAllows, assertIntervalAllowed, assertRegionsAllowed, orgForLimits } from "../../billing/guard";
import { recordAudit } from "../audit/record";
import { setMonitorChannels } from "./channels";
import { toMonitorView, type MonitorView } from "./view";

export async function createMonitor({ ctx, input }: { ctx: Ctx; input: MonitorInput | unknown }): Promise<MonitorView> {
  requirePermission(ctx, "monitors:write");
  const d = parseMonitorInput(input);
  assertTargetsAllowed(d);
  await assertRegionsExist(d.regions);

  const m = await db().transaction(async (tx) => {
    const org = await orgForLimits(tx, ctx.org.id, { lock: true });
    // Every monitor counts, paused or not: a downgrade pauses the extra ones but they remain.
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(monitors).where(eq(monitors.organizationId, ctx.org.id));
    assertCountAllows(org, "monitors", n);
    assertIntervalAllowed(org, d.intervalSeconds);
    if (d.type !== "heartbeat") assertRegionsAllowed(org, d.regions.length);
    const id = randomUUID();
    const { config, secrets } = splitConfig(d);
    const token = d.type === "heartbeat" ? randomToken(24) : null;
    const [row] = await tx
      .insert(monitors)
      .values({
        id,
        organizationId: ctx.org.id,
        name: d.name,
        type: d.type,
        config,
        secretsEnc: sealSecrets(id, secrets),
        intervalSeconds: d.intervalSeconds,
        timeoutMs: d.timeoutMs,
        confirmations: d.type === "heartbeat" ? 1 : d.confirmations,
        recoveries: d.recoveries,
        regions: d.type === "heartbeat" ? ["default"] : d.regions,
        quorum: d.quorum ?? null,
        paused: d.paused,
        state: d.paused ? "PAUSED" : "PENDING",
        heartbeatTokenHash: token ? hashToken(token) : null,
        heartbeatTokenEnc: token ? encrypt(token, `monitor:${id}:heartbeat`) : null,
        heartbeatGraceSeconds: d.type === "heartbeat" ? d.heartbeatGraceSeconds : null,
        // A new heartbeat monitor's first deadline counts from its creation.
        lastHeartbeatAt: d.type === "heartbeat" ? new Date() : null,
        customChannels: d.channelIds != null,
        reminderIntervalMinutes: d.reminderIntervalMinutes ?? null,
        reminderMax: d.reminderMax,
        recoveryDelaySeconds: d.recoveryDelaySeconds,
        createdById: ctx.actor.userId,
      })
      .returning();
    if (d.channelIds != null) await setMonitorChannels(tx, ctx.org.id, id, d.channelIds);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "monitor.created",
      targetType: "monitor",
      targetId: id,
      metadata: { name: d.name, type: d.type },
      meta: ctx.meta,
    });
    return row!;
  });

  await syncScheduleSafely(m);
  return toMonitorView(m, [...new Set(d.channelIds ?? [])].sort());
}
