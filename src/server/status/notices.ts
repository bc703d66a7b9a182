import type { Tx } from "../db/client";
import { statusNotices } from "../db/schema";
import type { NoticeKind } from "./model";

/**
 * Writes one notice to the page's outbox in the caller's transaction: the delivery consumer
 * (status/notify.ts) turns it into one delivery per matching confirmed subscriber.
 */
export async function recordNotice(
  tx: Tx,
  n: { organizationId: string; pageId: string; kind: NoticeKind; incidentId?: string; updateId?: string; maintenanceId?: string; componentIds: string[] },
): Promise<void> {
  await tx.insert(statusNotices).values({
    organizationId: n.organizationId,
    pageId: n.pageId,
    kind: n.kind,
    incidentId: n.incidentId ?? null,
    updateId: n.updateId ?? null,
    maintenanceId: n.maintenanceId ?? null,
    componentIds: n.componentIds,
  });
}
