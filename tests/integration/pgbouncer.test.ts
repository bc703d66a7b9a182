import { and, eq, inArray } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "../../src/server/db/client";
import { runMigrations } from "../../src/server/db/migrate";
import { monitorEvents, notificationDeliveries } from "../../src/server/db/schema";
import { ensurePartitions } from "../../src/server/monitors/partitions";
import { recordResults } from "../../src/server/monitors/record-results";
import { deliver } from "../../src/server/notifications/deliver";
import { drainOutbox } from "../../src/server/notifications/outbox";
import { createChannel } from "../../src/server/services/channels/create";
import { api, apiTenant } from "../helpers/api";
import { monitorOn } from "../helpers/channel-delivery";
import { down, res, slot, up } from "../helpers/monitor-factory";
import { startPgBouncer, type LocalPgBouncer } from "../helpers/pgbouncer";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { BASE_DATABASE_URL, createTestDatabase, dropTestDatabase } from "../helpers/test-db";

/**
 * The database path through PgBouncer 1.18 in transaction mode with a server pool of two, so
 * the app's ten pool clients take turns on the same server connections: migrations, a check
 * batch, notification claims and finishes, and API requests, on a fresh database reached only
 * through the pooler, with DATABASE_POOLER=pgbouncer-transaction. The last test shows what the
 * setting prevents: named statements through the same pooler fail.
 */

let bouncer: LocalPgBouncer;
let fresh: { url: string; name: string };
let rx: Receiver;

beforeAll(async () => {
  bouncer = await startPgBouncer({ poolSize: 2 });
  fresh = await createTestDatabase(BASE_DATABASE_URL, "pgb");
  // Before anything reads the environment in this file: the app's pool goes through the pooler.
  process.env.DATABASE_URL = bouncer.urlFor(fresh.url);
  process.env.DATABASE_POOLER = "pgbouncer-transaction";
  rx = await startReceiver();
}, 30_000);

afterAll(async () => {
  await closeDb();
  await rx?.close();
  await bouncer?.stop();
  if (fresh) await dropTestDatabase(BASE_DATABASE_URL, fresh.name);
});

describe("through PgBouncer in transaction mode", () => {
  it("migrates, stores check batches, claims and finishes deliveries, and answers API requests", { timeout: 90_000 }, async () => {
    // Two starters at once: the migration lock holds through the pooler, and both finish.
    await Promise.all([runMigrations(bouncer.urlFor(fresh.url)), runMigrations(bouncer.urlFor(fresh.url))]);
    await ensurePartitions();

    const t = await apiTenant("Pooled");
    const hook = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Pooled hook", type: "webhook", url: `${rx.url}/hook` } });
    const ms: Awaited<ReturnType<typeof monitorOn>>[] = [];
    for (let i = 0; i < 8; i++) ms.push(await monitorOn(t.org.id, [hook.id], `Pooled ${i}`));

    // Check batches from concurrent callers, as several workers' batchers would send them.
    for (let round = 0; round < 3; round++) {
      const at = slot();
      await Promise.all(ms.map((m) => recordResults([res(m.id, up(), "default", at)])));
    }
    const at = slot();
    await Promise.all(ms.map((m) => recordResults([res(m.id, down(), "default", at)])));

    // The outbox turns the DOWN events into deliveries; each is claimed and finished (deliver.ts's statements).
    await drainOutbox();
    const events = await db()
      .select({ id: monitorEvents.id })
      .from(monitorEvents)
      .where(
        and(
          inArray(
            monitorEvents.monitorId,
            ms.map((m) => m.id),
          ),
          eq(monitorEvents.kind, "down"),
        ),
      );
    expect(events).toHaveLength(ms.length);
    const deliveries = await db()
      .select({ id: notificationDeliveries.id })
      .from(notificationDeliveries)
      .where(
        inArray(
          notificationDeliveries.eventId,
          events.map((e) => e.id),
        ),
      );
    expect(deliveries).toHaveLength(ms.length);
    const outcomes = await Promise.all(deliveries.map((d) => deliver(d.id)));
    expect(outcomes.map((o) => o.status)).toEqual(deliveries.map(() => "delivered"));
    expect(rx.requests.filter((r) => r.path === "/hook")).toHaveLength(ms.length);

    // API requests in parallel: key authentication, listing and reading monitors.
    const key = (await t.key()).key;
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? api("GET", "/api/v1/monitors", { key }) : api("GET", `/api/v1/monitors/${ms[i % ms.length]!.id}`, { key }))));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  });

  it("named prepared statements break through the same pooler (what DATABASE_POOLER prevents)", { timeout: 30_000 }, async () => {
    const named = new pg.Pool({ connectionString: bouncer.urlFor(fresh.url), max: 6 });
    try {
      const runs = await Promise.allSettled(
        Array.from({ length: 6 }, async () => {
          for (let i = 0; i < 20; i++) await named.query({ name: "perigee_pooler_probe", text: "select $1::int as n", values: [i] });
        }),
      );
      const errors = runs.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join("\n")).toMatch(/prepared statement "perigee_pooler_probe" (does not exist|already exists)/);
    } finally {
      await named.end();
    }
  });
});
