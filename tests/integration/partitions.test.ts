import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { compactFinishedPartitions, dropPartitionsBefore, ensurePartitions } from "../../src/server/monitors/partitions";

const name = (d: Date) => `check_results_p${d.toISOString().slice(0, 10).replace(/-/g, "")}`;
const DAY = 86_400_000;

describe("results partitions", () => {
  it("creates daily partitions ahead, compacts finished days once, and drops expired days whole", async () => {
    // A window in the past, so nothing here touches the partitions other tests write to today:
    // compaction only looks at days before `later`, and the drop cutoff is before today.
    const base = new Date(Date.UTC(2020, 0, 10));
    const created = await ensurePartitions(base, 2);
    expect(created).toEqual([name(new Date(base.getTime() - DAY)), name(base), name(new Date(base.getTime() + DAY)), name(new Date(base.getTime() + 2 * DAY))]);
    expect(await ensurePartitions(base, 2)).toEqual([]);

    const later = new Date(base.getTime() + 2 * DAY + 2 * 3600_000);
    const compacted = await compactFinishedPartitions(later);
    expect(compacted).toEqual(expect.arrayContaining([name(base), name(new Date(base.getTime() - DAY))]));
    expect(compacted).not.toContain(name(new Date(base.getTime() + 2 * DAY)));
    expect(await compactFinishedPartitions(later)).not.toContain(name(base));

    const dropped = await dropPartitionsBefore(new Date(base.getTime() + DAY));
    expect(dropped).toEqual(expect.arrayContaining([name(base), name(new Date(base.getTime() - DAY))]));
    const left = await db().execute<{ n: string }>(sql`select count(*) as n from pg_class where relname = ${name(base)}`);
    expect(Number(left.rows[0]!.n)).toBe(0);
    await dropPartitionsBefore(new Date(base.getTime() + 3 * DAY));
  });
});
