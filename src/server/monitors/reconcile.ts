import { and, eq, ne } from "drizzle-orm";
import { db } from "../db/client";
import { monitors } from "../db/schema";
import { orgIsLive } from "../privacy/live";
import { checkQueue, schedulerId, syncSchedule, type CheckJob } from "./schedule";

const PAGE = 500;

/**
 * Makes Redis's schedulers match Postgres: creates missing ones, refreshes stale versions,
 * removes orphans. Runs at worker start and every few minutes, so a schedule change lost
 * between commit and Redis (or a flushed Redis) heals by itself.
 */
export async function reconcileSchedules(): Promise<{ upserted: number; removed: number }> {
  const rows = await db()
    .select({ id: monitors.id, type: monitors.type, intervalSeconds: monitors.intervalSeconds, regions: monitors.regions, paused: monitors.paused, version: monitors.version })
    .from(monitors)
    .where(and(eq(monitors.paused, false), ne(monitors.type, "heartbeat"), orgIsLive(monitors.organizationId)));
  const regions = new Set<string>(["default"]);
  rows.forEach((m) => m.regions.forEach((r) => regions.add(r)));

  let upserted = 0;
  let removed = 0;
  for (const region of regions) {
    const q = checkQueue(region);
    const existing = new Map<string, number>();
    // In pages: all 10,000 at once is one burst of 10,000 reads that stalls the checks sharing Redis.
    // Schedulers move in the set while we page; one seen twice or missed only costs an idempotent upsert.
    for (let from = 0; ; from += PAGE) {
      const page = await q.getJobSchedulers(from, from + PAGE - 1, true);
      for (const s of page) existing.set(s.key, (s.template?.data as CheckJob | undefined)?.version ?? -1);
      if (page.length < PAGE) break;
    }
    const want = rows.filter((m) => m.regions.includes(region));
    const wantIds = new Set(want.map((m) => schedulerId(m.id)));
    for (const m of want) {
      const have = existing.get(schedulerId(m.id));
      if (have === undefined || have !== m.version) {
        await syncSchedule(m);
        upserted++;
      }
    }
    for (const key of existing.keys()) {
      if (!wantIds.has(key)) {
        await q.removeJobScheduler(key);
        removed++;
      }
    }
  }
  return { upserted, removed };
}
