import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { merge } from "../../src/server/monitors/histogram";

/** The SQL side of histogram merging must add exactly like the TypeScript side. */
describe("perigee_hist_add / perigee_hist_sum in Postgres", () => {
  it("sum any histograms element-wise, to the longest length, never NULL", async () => {
    const hist = fc.array(fc.nat({ max: 100_000 }), { maxLength: 71 });
    await fc.assert(
      fc.asyncProperty(fc.array(hist, { maxLength: 12 }), async (hists) => {
        const literal = (h: number[] | undefined) => `{${(h ?? []).join(",")}}`;
        const r = await db().execute<{ total: number[] | null; pair: number[] | null }>(sql`
          select (select perigee_hist_sum(array(select jsonb_array_elements_text(e)::int)) from jsonb_array_elements(${JSON.stringify(hists)}::jsonb) as e) as total,
                 perigee_hist_add(${literal(hists[0])}::int[], ${literal(hists[1])}::int[]) as pair`);
        const expected = hists.reduce((a, b) => merge(a, b), [] as number[]);
        // An aggregate over no rows is NULL in SQL; callers coalesce it to an empty histogram.
        expect(r.rows[0]!.total ?? []).toEqual(expected);
        expect(r.rows[0]!.pair).toEqual(merge(hists[0] ?? [], hists[1] ?? []));
      }),
      { numRuns: 60 },
    );
    const nulls = await db().execute<{ a: number[]; b: number[] }>(sql`select perigee_hist_add(null, null) as a, perigee_hist_add(null, '{1,2}') as b`);
    expect(nulls.rows[0]).toEqual({ a: [], b: [1, 2] });
  });
});
