import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { monitorEvents, notificationDeliveries } from "../../src/server/db/schema";
import { INTERRUPTED_ERROR, deliver } from "../../src/server/notifications/deliver";
import { createChannel } from "../../src/server/services/channels/create";
import { logOf, rowOf } from "../helpers/channel-delivery";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { until } from "../helpers/until";

/**
 * Every attempt of a delivery is in the notification log, including one whose sender died
 * after the receiver got the request and before the outcome was written: that attempt shows
 * 'interrupted', the retry repeats the request with the same webhook-id.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
});

/** A down event already processed (so no outbox of another file's worker takes it) and its one delivery. */
async function pendingDelivery() {
  const t = await createTenant();
  const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Hook", type: "webhook", url: `${rx.url}/hook-${crypto.randomUUID()}` } });
  const m = await insertMonitor(t.org.id, { name: "Checkout API" });
  const [e] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: m.id, kind: "down", fromState: "UP", toState: "DOWN", payload: {}, processedAt: new Date() }).returning();
  const [d] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: e!.id, channelId: ch.id }).returning();
  return { id: d!.id };
}

/** A process running deliver(id) as the notification job does; killed by the test. */
function sender(deliveryId: string): ChildProcess {
  const script = `const { deliver } = await import("./src/server/notifications/deliver.ts"); await deliver(${JSON.stringify(deliveryId)});`;
  return spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "error", NOTIFY_TIMEOUT_MS: "20000" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

describe("notification log", () => {
  it("shows an attempt whose sender died mid-send as interrupted, and the retry as delivered with the same webhook-id", { timeout: 60_000 }, async () => {
    const d = await pendingDelivery();
    const hits = () => rx.requests.filter((r) => r.headers["webhook-id"] === d.id);
    // The receiver holds its answer to the first request: the sender dies while it waits.
    const previous = rx.fallback;
    rx.fallback = (r) => (r.headers["webhook-id"] === d.id && hits().length === 1 ? { status: 200, delayMs: 30_000 } : { status: 200, body: { ok: true } });
    const child = sender(d.id);
    try {
      await until(async () => hits().length === 1, 30_000);
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rx.fallback = previous;
    }
    // The attempt was in the log from its start; its outcome never came.
    expect(await logOf(d.id)).toMatchObject([{ attempt: 1, status: "sending" }]);
    expect(await rowOf(d.id)).toMatchObject({ status: "sending", attempts: 1 });

    // While the dead sender's lease runs, nothing is sent; the job learns how long to wait (it retries then).
    const early = await deliver(d.id);
    expect(early.status).toBe("not_claimed");
    expect(early.status === "not_claimed" && early.leasedForMs).toBeGreaterThan(1000);
    expect(hits()).toHaveLength(1);

    // The lease ran out (as it does NOTIFY_TIMEOUT_MS + 30 s after the claim): the retry sends again.
    await db()
      .update(notificationDeliveries)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(notificationDeliveries.id, d.id));
    expect(await deliver(d.id)).toMatchObject({ status: "delivered", httpStatus: 200 });

    expect(hits().map((r) => r.headers["webhook-id"])).toEqual([d.id, d.id]);
    expect(await rowOf(d.id)).toMatchObject({ status: "delivered", attempts: 2, lockedUntil: null });
    const log = await logOf(d.id);
    expect(log).toMatchObject([
      { attempt: 1, status: "interrupted", error: INTERRUPTED_ERROR, httpStatus: null },
      { attempt: 2, status: "delivered", httpStatus: 200, error: null },
    ]);
    expect(log[0]!.error).toMatch(/receiver may have received it/);
    // Delivered: a later run sends nothing and logs nothing.
    expect(await deliver(d.id)).toEqual({ status: "not_claimed" });
    expect(hits()).toHaveLength(2);
    expect(await logOf(d.id)).toHaveLength(2);
  });

  it("logs a failed attempt and its retry as two rows, each finished in place", async () => {
    const d = await pendingDelivery();
    rx.script({ status: 503, body: "busy" });
    expect(await deliver(d.id)).toMatchObject({ status: "retry" });
    expect(await logOf(d.id)).toMatchObject([{ attempt: 1, status: "retrying", httpStatus: 503 }]);
    expect(await deliver(d.id)).toMatchObject({ status: "delivered" });
    const log = await logOf(d.id);
    expect(log).toMatchObject([
      { attempt: 1, status: "retrying", httpStatus: 503 },
      { attempt: 2, status: "delivered", httpStatus: 200 },
    ]);
    expect(log.every((l) => l.latencyMs >= 0)).toBe(true);
  });
});
