import { and, eq, gt, isNull } from "drizzle-orm";
import { db } from "../db/client";
import { incidents, monitorEvents, monitors, type MaintenanceWindow } from "../db/schema";
import { inMaintenance } from "../monitors/maintenance";

/**
 * A monitor that goes DOWN inside a maintenance window and is still DOWN when the window ends
 * makes no new transition, so nobody would ever hear of the outage. This pass (a maintenance
 * job) finds open incidents whose DOWN was not alerted (`during_maintenance`) on monitors no
 * longer inside any window, and alerts them then: one `down` outbox event per incident, written
 * in the same transaction that clears `during_maintenance` (from now on: "its DOWN was alerted"),
 * so it happens once whichever worker runs it. Reminders count from this alert.
 *
 * Incidents are read in batches by id, each batch in its own transaction with SKIP LOCKED, so
 * incidents still inside a window never hold up the rest and several workers may run at once.
 */
export async function alertStillDownAfterMaintenance(now = new Date(), batchSize = 500): Promise<number> {
  let alerted = 0;
  let after: string | null = null;
  for (;;) {
    const batch = await db().transaction(async (tx) => {
      const open = await tx
        .select({ incident: incidents, monitor: monitors })
        .from(incidents)
        .innerJoin(monitors, and(eq(monitors.id, incidents.monitorId), eq(monitors.organizationId, incidents.organizationId)))
        .where(
          and(
            isNull(incidents.closedAt),
            eq(incidents.duringMaintenance, true),
            // Paused (or re-pending) monitors are not known to be DOWN now.
            eq(monitors.paused, false),
            eq(monitors.state, "DOWN"),
            after ? gt(incidents.id, after) : undefined,
          ),
        )
        .orderBy(incidents.id)
        .limit(batchSize)
        .for("update", { of: incidents, skipLocked: true });
      const windows = new Map<string, Promise<MaintenanceWindow[]>>();
      let n = 0;
      for (const { incident: i, monitor: m } of open) {
        if (await inMaintenance(tx, m, now, windows)) continue;
        // Conditional, so an incident closed or alerted meanwhile is left alone.
        const [claimed] = await tx
          .update(incidents)
          .set({ duringMaintenance: false, remindersSent: 0, lastRemindedAt: now })
          .where(and(eq(incidents.id, i.id), eq(incidents.organizationId, i.organizationId), eq(incidents.duringMaintenance, true), isNull(incidents.closedAt)))
          .returning({ id: incidents.id });
        if (!claimed) continue;
        await tx.insert(monitorEvents).values({
          organizationId: i.organizationId,
          monitorId: m.id,
          incidentId: i.id,
          // The same kind its first alert would have had (a heartbeat monitor "missed its heartbeat").
          kind: m.type === "heartbeat" ? "heartbeat_missed" : "down",
          fromState: "DOWN",
          toState: "DOWN",
          payload: {
            monitorName: m.name,
            type: m.type,
            cause: i.causeMessage,
            errorClass: i.causeErrorClass,
            statusCode: i.causeStatusCode,
            regionsDown: i.regionsDown,
            downtimeSeconds: Math.max(0, Math.round((now.getTime() - i.openedAt.getTime()) / 1000)),
            stillDownAfterMaintenance: true,
          },
          notifyAfter: now,
        });
        n++;
      }
      return { n, last: open.at(-1)?.incident.id ?? null, full: open.length === batchSize };
    });
    alerted += batch.n;
    if (!batch.full || !batch.last) return alerted;
    after = batch.last;
  }
}
