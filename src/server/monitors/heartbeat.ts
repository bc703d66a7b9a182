import { and, eq, sql } from "drizzle-orm";
import { db } from "../db/client";
import { monitors } from "../db/schema";
import { hashToken } from "../lib/crypto";
import { orgIsLive } from "../privacy/live";
import { recordResults, type ResultInput } from "./record-results";

export type PingAnswer = { ok: true; monitor: string; state: string } | { ok: false; reason: "unknown" | "paused" };

/** A customer's job called its secret heartbeat URL. */
export async function recordPing(token: string, now = new Date()): Promise<PingAnswer> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { ok: false, reason: "unknown" };
  const [m] = await db()
    .update(monitors)
    .set({ lastHeartbeatAt: now })
    .where(and(eq(monitors.heartbeatTokenHash, hashToken(token)), eq(monitors.paused, false), orgIsLive(monitors.organizationId)))
    .returning();
  if (!m) {
    const [paused] = await db()
      .select({ id: monitors.id })
      .from(monitors)
      .where(and(eq(monitors.heartbeatTokenHash, hashToken(token)), orgIsLive(monitors.organizationId)))
      .limit(1);
    return { ok: false, reason: paused ? "paused" : "unknown" };
  }
  // Pings within the same second share a slot, so a chatty job cannot flood the results table.
  const slot = new Date(Math.floor(now.getTime() / 1000) * 1000);
  await recordResults([{ monitorId: m.id, region: "default", scheduledAt: slot, startedAt: now, result: { outcome: "up", timings: { totalMs: 0 } }, kind: "heartbeat" }], now);
  const [after] = await db().select({ state: monitors.state }).from(monitors).where(eq(monitors.id, m.id));
  return { ok: true, monitor: m.name, state: after?.state ?? m.state };
}

/**
 * Records a missed period for every heartbeat monitor whose deadline (last ping + interval +
 * grace, then every interval after) has passed. Deadlines are deterministic, so running the
 * sweep twice — or from two workers — records each miss once.
 */
export async function sweepHeartbeats(now = new Date()): Promise<number> {
  const due = await db()
    .select()
    .from(monitors)
    .where(
      and(
        eq(monitors.type, "heartbeat"),
        eq(monitors.paused, false),
        orgIsLive(monitors.organizationId),
        sql`${monitors.lastHeartbeatAt} + make_interval(secs => ${monitors.intervalSeconds} + coalesce(${monitors.heartbeatGraceSeconds}, 0)) <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .limit(5000);
  const batch: ResultInput[] = [];
  for (const m of due) {
    const first = m.lastHeartbeatAt!.getTime() + (m.intervalSeconds + (m.heartbeatGraceSeconds ?? 0)) * 1000;
    const after = Math.max(m.lastCheckedAt?.getTime() ?? 0, m.lastHeartbeatAt!.getTime());
    for (let k = 0, t = first; t <= now.getTime() && k < 50; k++, t += m.intervalSeconds * 1000) {
      if (t <= after) continue;
      batch.push({
        monitorId: m.id,
        region: "default",
        scheduledAt: new Date(t),
        startedAt: now,
        kind: "heartbeat",
        result: {
          outcome: "down",
          errorClass: "timeout",
          message: `No ping received within ${m.intervalSeconds} s + ${m.heartbeatGraceSeconds ?? 0} s grace (last ping ${m.lastHeartbeatAt!.toISOString()})`,
          timings: { totalMs: 0 },
        },
      });
    }
  }
  for (let i = 0; i < batch.length; i += 500) await recordResults(batch.slice(i, i + 500), now);
  return batch.length;
}
