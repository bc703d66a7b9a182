import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { recordResults } from "../../src/server/monitors/record-results";
import { createChannel } from "../../src/server/services/channels/create";
import { createMonitor } from "../../src/server/services/monitors/create";
import { api, apiTenant } from "../helpers/api";
import { down, res } from "../helpers/monitor-factory";

/**
 * Every list endpoint pages through rows whose sort times share one millisecond and differ only
 * in microseconds (Postgres keeps µs, a cursor carries ms): each row exactly once, while rows
 * are added between pages.
 */
let t: Awaited<ReturnType<typeof apiTenant>>;
let key: string;
const N = 5;

const tcp = (name: string) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, paused: false, confirmations: 1 });

async function addRows(kind: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    if (kind === "channels") ids.push((await createChannel({ ctx: t.ctx.ADMIN, input: { name: `c${i}`, type: "email", to: `c${i}@example.test` } })).id);
    else {
      const m = await createMonitor({ ctx: t.ctx.ADMIN, input: tcp(`m${i}`) });
      if (kind === "events") {
        await recordResults([res(m.id, down())]);
        const r = await db().execute<{ id: string }>(sql`select id from incidents where monitor_id = ${m.id}`);
        ids.push(r.rows[0]!.id);
      } else ids.push(m.id);
    }
  }
  return ids;
}

/** Puts the rows' sort times within one millisecond, a different microsecond each. */
async function squeeze(kind: string, ids: string[]) {
  const [table, col] = kind === "channels" ? ["notification_channels", "created_at"] : kind === "events" ? ["incidents", "opened_at"] : ["monitors", "created_at"];
  for (const [i, id] of ids.entries()) {
    await db().execute(sql`update ${sql.identifier(table)} set ${sql.identifier(col)} = '2026-11-01T00:00:00.123Z'::timestamptz + make_interval(secs => ${(997 - i * 211) / 1e6}) where id = ${id}`);
  }
}

beforeAll(async () => {
  t = await apiTenant("Paging");
  key = (await t.key()).key;
});

describe("cursor pagination sweep: rows in the same millisecond, inserts between pages", () => {
  for (const kind of ["monitors", "channels", "events"]) {
    it(`/api/v1/${kind}`, async () => {
      const before = new Set((((await api("GET", `/api/v1/${kind}?limit=200`, { key })).body as { data: { id: string }[] }).data ?? []).map((x) => x.id));
      const ids = await addRows(kind, N);
      await squeeze(kind, ids);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: Awaited<ReturnType<typeof api>> = await api("GET", `/api/v1/${kind}?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { key });
        expect(r.status, r.text).toBe(200);
        const b = r.body as { data: { id: string }[]; nextCursor: string | null };
        seen.push(...b.data.map((x) => x.id));
        cursor = b.nextCursor;
        if (pages++ === 1) await addRows(kind, 2); // someone adds rows while we page
        expect(pages).toBeLessThan(50);
      } while (cursor);
      expect(new Set(seen).size, "no row twice").toBe(seen.length);
      for (const id of [...ids, ...before]) expect(seen, "no row skipped").toContain(id);
    });
  }
});
