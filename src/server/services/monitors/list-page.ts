import { pool } from "../../db/client";
import type { Monitor } from "../../db/schema";
import type { Ctx } from "../../context";
import { requirePermission } from "../../auth/permissions";
import { MONITOR_COLUMNS } from "../../monitors/raw";
import { forReader, toMonitorViews, type MonitorView } from "./view";

/**
 * Monitors in creation order, keyset-paginated on (created_at to the millisecond, id):
 * monitors created while a client pages through appear at the end, never twice or skipped.
 * A hot API path: named statements straight to pg.
 */
export async function listMonitorsPage({
  ctx,
  limit,
  after,
}: {
  ctx: Ctx;
  limit: number;
  after?: { t: string; id: string };
}): Promise<{ data: MonitorView[]; next: { t: string; id: string } | null }> {
  requirePermission(ctx, "org:read");
  const order = "order by date_trunc('milliseconds', m.created_at), m.id limit";
  const { rows } = after
    ? await pool().query<Monitor>({
        name: "perigee_monitors_page_after",
        text: `select ${MONITOR_COLUMNS} from monitors m where m.organization_id = $1 and (date_trunc('milliseconds', m.created_at), m.id) > ($2::timestamptz, $3::uuid) ${order} $4`,
        values: [ctx.org.id, after.t, after.id, limit + 1],
      })
    : await pool().query<Monitor>({ name: "perigee_monitors_page", text: `select ${MONITOR_COLUMNS} from monitors m where m.organization_id = $1 ${order} $2`, values: [ctx.org.id, limit + 1] });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: (await toMonitorViews(page)).map((v) => forReader(ctx, v)), next: rows.length > limit && last ? { t: last.createdAt.toISOString(), id: last.id } : null };
}
