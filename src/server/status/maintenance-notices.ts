import { and, eq, inArray, sql } from "drizzle-orm";
import { db } from "../db/client";
import { statusNotices } from "../db/schema";
import { recordNotice } from "./notices";

type Due = { id: string; organization_id: string; page_id: string; component_ids: string[]; ends_at: Date; published: boolean };

/**
 * Tells subscribers a scheduled maintenance started or ended. Each window's start_notice_at /
 * end_notice_at is set by an UPDATE … WHERE … IS NULL in the transaction that records the
 * notice, so with any number of workers running this at once each notice is recorded once
 * (a second UPDATE waits for the first's row lock, then no longer matches). A window whose
 * start was missed entirely (it already ended, or the page is unpublished) is marked without
 * telling anyone, and its end is told only to those who were told it started.
 */
export async function recordMaintenanceNotices(now = new Date()): Promise<{ started: number; ended: number }> {
  return db().transaction(async (tx) => {
    const at = now.toISOString();
    const starts = await tx.execute<Due>(sql`
      update status_maintenances m set start_notice_at = ${at}::timestamptz
      from status_pages p
      where p.id = m.page_id and m.start_notice_at is null and m.starts_at <= ${at}::timestamptz
      returning m.id, m.organization_id, m.page_id, m.component_ids, m.ends_at, p.published`);
    let started = 0;
    for (const m of starts.rows) {
      if (!m.published || new Date(m.ends_at) <= now) continue;
      await recordNotice(tx, { organizationId: m.organization_id, pageId: m.page_id, kind: "maintenance_started", maintenanceId: m.id, componentIds: m.component_ids });
      started++;
    }
    const ends = await tx.execute<Due>(sql`
      update status_maintenances m set end_notice_at = ${at}::timestamptz
      from status_pages p
      where p.id = m.page_id and m.end_notice_at is null and m.start_notice_at is not null and m.ends_at <= ${at}::timestamptz
      returning m.id, m.organization_id, m.page_id, m.component_ids, m.ends_at, p.published`);
    const told = ends.rows.length
      ? await tx
          .select({ id: statusNotices.maintenanceId })
          .from(statusNotices)
          .where(
            and(
              eq(statusNotices.kind, "maintenance_started"),
              inArray(
                statusNotices.maintenanceId,
                ends.rows.map((m) => m.id),
              ),
            ),
          )
      : [];
    const wasTold = new Set(told.map((t) => t.id));
    let ended = 0;
    for (const m of ends.rows) {
      if (!m.published || !wasTold.has(m.id)) continue;
      await recordNotice(tx, { organizationId: m.organization_id, pageId: m.page_id, kind: "maintenance_ended", maintenanceId: m.id, componentIds: m.component_ids });
      ended++;
    }
    return { started, ended };
  });
}
