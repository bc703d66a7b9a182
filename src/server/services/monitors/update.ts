import { eq, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { monitors } from "../../db/schema";
import type { Ctx } from "../../context";
import { Invalid } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { sealSecrets, secretFieldsOf, splitConfig, toInput } from "../../monitors/config";
import { syncScheduleSafely } from "../../monitors/schedule";
import { invalidateStatusPages } from "../../status/invalidate";
import { assertTargetsAllowed } from "../../monitors/targets";
import { assertRegionsExist } from "../../monitors/regions";
import { parseMonitorInput } from "../../monitors/schema";
import { recordAudit } from "../audit/record";
import { getMonitorOrThrow, runningByPlan } from "./internal";
import { setMonitorChannels } from "./channels";
import { channelIdsOf, toMonitorViews, type MonitorView } from "./view";
import { assertCountAllows, assertIntervalAllowed, assertRegionsAllowed, orgForLimits } from "../../billing/guard";

// Masked values echoed back by a form mean "keep what is stored".
const MASK = "••••••";

/** Partial update: the given fields are merged onto the stored monitor and the whole is re-validated. */
export async function updateMonitor({ ctx, monitorId, patch }: { ctx: Ctx; monitorId: string; patch: Record<string, unknown> }): Promise<MonitorView> {
  requirePermission(ctx, "monitors:write");
  let previousRegions: string[] = [];
  const m = await db().transaction(async (tx) => {
    // A patch that may resume a monitor locks the organization row first (it may have to count),
    // in the order plan enforcement (billing/enforce.ts) locks them, so the two cannot deadlock.
    const mayResume = patch.paused !== undefined && patch.paused !== true;
    if (mayResume) await orgForLimits(tx, ctx.org.id, { lock: true });
    const current = await getMonitorOrThrow(tx, ctx.org.id, monitorId, { forUpdate: true });
    previousRegions = current.regions;
    const base = toInput(current);
    if (current.customChannels) base.channelIds = (await channelIdsOf(tx, [current.id])).get(current.id) ?? [];
    if (patch.type !== undefined && patch.type !== current.type) {
      throw new Invalid("A monitor's type cannot change; create a new monitor instead.", { type: ["A monitor's type cannot change; create a new monitor instead."] });
    }
    const merged: Record<string, unknown> = { ...base, ...patch };
    if (patch.headers && typeof patch.headers === "object") {
      const old = (base.headers ?? {}) as Record<string, string>;
      merged.headers = Object.fromEntries(Object.entries(patch.headers as Record<string, string>).map(([k, v]) => [k, v === MASK ? (old[k] ?? "") : v]));
    }
    for (const f of secretFieldsOf(current.type)) if (patch[f] === MASK || patch[f] === "") merged[f] = base[f];
    const d = parseMonitorInput(merged);
    assertTargetsAllowed(d);
    await assertRegionsExist(d.regions);
    const resumesPausedByPlan = current.pausedByPlan && !d.paused;
    // Locked only to count (a resume, locked above): an ordinary edit does not serialize on the organization.
    const org = await orgForLimits(tx, ctx.org.id);
    if (resumesPausedByPlan) assertCountAllows(org, "monitors", await runningByPlan(tx, ctx.org.id));
    // What the monitor already has stays editable after a downgrade (billing/enforce.ts brings
    // it within the plan); what this change asks for must fit the plan.
    if (d.intervalSeconds !== current.intervalSeconds) assertIntervalAllowed(org, d.intervalSeconds);
    if (current.type !== "heartbeat" && d.regions.some((r) => !current.regions.includes(r))) assertRegionsAllowed(org, d.regions.length);
    const { config, secrets } = splitConfig(d);
    const pausedChanged = d.paused !== current.paused;
    const [row] = await tx
      .update(monitors)
      .set({
        name: d.name,
        config,
        secretsEnc: sealSecrets(current.id, secrets),
        intervalSeconds: d.intervalSeconds,
        timeoutMs: d.timeoutMs,
        confirmations: current.type === "heartbeat" ? 1 : d.confirmations,
        recoveries: d.recoveries,
        regions: current.type === "heartbeat" ? ["default"] : d.regions,
        quorum: d.quorum ?? null,
        paused: d.paused,
        ...(resumesPausedByPlan ? { pausedByPlan: false } : {}),
        heartbeatGraceSeconds: d.type === "heartbeat" ? d.heartbeatGraceSeconds : null,
        customChannels: d.channelIds != null,
        reminderIntervalMinutes: d.reminderIntervalMinutes ?? null,
        reminderMax: d.reminderMax,
        recoveryDelaySeconds: d.recoveryDelaySeconds,
        ...(pausedChanged ? { state: d.paused ? ("PAUSED" as const) : ("PENDING" as const), stateChangedAt: new Date() } : {}),
        version: sql`${monitors.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(monitors.id, current.id))
      .returning();
    if ("channelIds" in patch) await setMonitorChannels(tx, ctx.org.id, current.id, d.channelIds);
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "monitor.updated",
      targetType: "monitor",
      targetId: current.id,
      metadata: { fields: Object.keys(patch).filter((k) => !/password|token|headers/i.test(k)) },
      meta: ctx.meta,
    });
    return row!;
  });
  await syncScheduleSafely(m, previousRegions);
  // Pausing or resuming changes what its status-page components show.
  if (m.state === "PAUSED" || m.state === "PENDING") await invalidateStatusPages({ monitorIds: [m.id] });
  const [view] = await toMonitorViews([m]);
  return view!;
}
