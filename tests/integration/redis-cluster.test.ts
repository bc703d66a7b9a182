import { spawnWorker } from "../helpers/worker-process";
import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { Cluster, type Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDb, db } from "../../src/server/db/client";
import { runMigrations } from "../../src/server/db/migrate";
import { ensurePartitions } from "../../src/server/monitors/partitions";
import { monitorChannels, monitors, notificationDeliveries } from "../../src/server/db/schema";
import { MAINTENANCE_QUEUE, NOTIFY_QUEUE } from "../../src/server/jobs/catalog";
import { regionId } from "../../src/server/monitors/regions";
import { closeQueues, queueName, sharedQueue, syncSchedule } from "../../src/server/monitors/schedule";
import { probeRedisUser } from "../../src/server/probes/redis-acl";
import { closeRedis, primaries, redis } from "../../src/server/redis";
import { pageBySlug, rebuildPage } from "../../src/server/status/cache";
import { dropProbeRedis, grantProbeRedis } from "../../src/server/services/probes/redis-access";
import { createChannel } from "../../src/server/services/channels/create";
import { api, apiTenant } from "../helpers/api";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { insertComponent, insertPage, uniqueSlug } from "../helpers/status-factory";
import { startRedisCluster, type LocalCluster } from "../helpers/redis-cluster";
import { BASE_DATABASE_URL, createTestDatabase, dropTestDatabase } from "../helpers/test-db";
import { until } from "../helpers/until";

/**
 * The engine on a local Redis Cluster of three primaries: a worker started with
 * REDIS_CLUSTER_NODES runs real checks from its region's job schedulers, a monitor going DOWN
 * reaches a webhook through the notification queue, the API's and status pages' Redis paths answer, probe ACL
 * users land on every primary, and every BullMQ key carries its own queue's hash tag.
 */

const region = `rc-${randomBytes(3).toString("hex")}`;
const prefix = inject("redisPrefix");

let cluster: LocalCluster;
let worker: ChildProcess | undefined;
let rx: Receiver;
let target: http.Server;
let failing = false;
let targetUrl = "";

let fresh: { url: string; name: string } | undefined;

beforeAll(async () => {
  cluster = await startRedisCluster();
  // A database of its own: the worker on the cluster must not take other files' outbox events
  // (their deliveries would be queued on a cluster that this file then stops).
  fresh = await createTestDatabase(BASE_DATABASE_URL, "cluster");
  await runMigrations(fresh.url);
  // Before anything reads the environment in this file: every connection of this process is a cluster client.
  process.env.DATABASE_URL = fresh.url;
  process.env.REDIS_CLUSTER_NODES = cluster.nodes;
  process.env.REDIS_URL = `redis://127.0.0.1:${cluster.ports[0]}`;
  await ensurePartitions();
  target = http.createServer((_req, res) => {
    res.statusCode = failing ? 503 : 200;
    res.end(failing ? "down" : "ok");
  });
  await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  rx = await startReceiver();
  await regionId(region);
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    worker.kill("SIGKILL");
    await new Promise((r) => worker!.once("exit", r));
  }
  await closeQueues();
  await closeRedis();
  await rx?.close();
  target?.closeAllConnections();
  await new Promise((r) => target?.close(r));
  await cluster?.stop();
  await closeDb();
  if (fresh) await dropTestDatabase(BASE_DATABASE_URL, fresh.name);
});

function startWorker(): ChildProcess {
  return spawnWorker({
    DATABASE_URL: fresh!.url,
    REDIS_PREFIX: prefix,
    REDIS_URL: `redis://127.0.0.1:${cluster.ports[0]}`,
    REDIS_CLUSTER_NODES: cluster.nodes,
    WORKER_REGION: region,
  });
}

/** Every key under our prefix on each primary. */
async function keysByNode(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const node of await primaries()) {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await node.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    out.set(`${node.options.host}:${node.options.port}`, keys);
  }
  return out;
}

describe("on a Redis Cluster", () => {
  it("runs checks and delivers an alert, with each queue's keys in one slot of its own", { timeout: 90_000 }, async () => {
    expect(redis()).toBeInstanceOf(Cluster);
    const t = await apiTenant("Cluster Tenant");
    const hook = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Cluster hook", type: "webhook", url: `${rx.url}/hook` } });
    const m = await insertMonitor(t.org.id, {
      id: randomUUID(),
      regions: [region],
      intervalSeconds: 2,
      timeoutMs: 2000,
      confirmations: 1,
      customChannels: true,
      config: { url: targetUrl, method: "GET", expectedStatus: [{ from: 200, to: 299 }] },
    });
    await db().insert(monitorChannels).values({ monitorId: m.id, channelId: hook.id });
    await syncSchedule(m);

    worker = startWorker();
    const rid = await regionId(region);
    const results = async () => Number((await db().execute<{ n: string }>(sql`select count(*) as n from check_results where monitor_seq = ${m.seq} and region_id = ${rid}`)).rows[0]!.n);
    await until(async () => (await results()) >= 2, 45_000);

    // The target fails: the worker's check takes the monitor DOWN and the alert goes out through the notification queue.
    failing = true;
    await until(async () => (await db().select({ s: monitors.state }).from(monitors).where(eq(monitors.id, m.id)))[0]?.s === "DOWN", 30_000);
    await rx.waitFor(1, 30_000);
    expect(rx.requests[0]!.path).toBe("/hook");
    expect(rx.requests[0]!.body).toContain(m.id);
    const [delivery] = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.channelId, hook.id));
    await until(async () => (await db().select({ s: notificationDeliveries.status }).from(notificationDeliveries).where(eq(notificationDeliveries.id, delivery!.id)))[0]?.s === "delivered", 10_000);

    // The API's Redis paths (key authentication, rate counters) work across nodes too.
    const key = await t.key();
    expect((await api("GET", "/api/v1/monitors", { key: key.key })).status).toBe(200);

    // A status page's snapshot: its own keys change in one MULTI (one hash tag), the shared indexes beside it.
    const page = await insertPage(t.org.id, { slug: uniqueSlug("cluster") });
    await insertComponent(page, { monitor: m });
    expect((await rebuildPage(page.id))?.snapshot.page.slug).toBe(page.slug);
    expect((await pageBySlug(page.slug))?.entry.snapshot.page.slug).toBe(page.slug);

    // A probe's Redis user is set on every primary, and removed from every one.
    const probeId = randomUUID();
    await grantProbeRedis({ id: probeId, region });
    const nodes: Redis[] = await primaries();
    expect(nodes).toHaveLength(3);
    for (const n of nodes) expect(await n.call("ACL", "GETUSER", probeRedisUser(probeId))).not.toBeNull();
    await dropProbeRedis(probeId);
    for (const n of nodes) expect(await n.call("ACL", "GETUSER", probeRedisUser(probeId))).toBeNull();

    // Key layout: every BullMQ key is <prefix>bull:{<queue>}:<queue>:…, so one queue's keys share one slot
    // (BullMQ's Lua scripts need that) and different queues hash apart.
    const byNode = await keysByNode();
    const slotOfQueue = new Map<string, Set<number>>();
    const nodeOfQueue = new Map<string, Set<string>>();
    for (const [node, keys] of byNode) {
      for (const k of keys.filter((x) => x.startsWith(`${prefix}bull:`))) {
        const q = /^[^{]*bull:\{([^}]+)\}:([^:]+):/.exec(k);
        expect(q, `BullMQ key without its queue's hash tag: ${k}`).not.toBeNull();
        expect(q![2]).toBe(q![1]);
        const slot = Number(await nodes[0]!.call("CLUSTER", "KEYSLOT", k));
        slotOfQueue.set(q![1]!, new Set([...(slotOfQueue.get(q![1]!) ?? []), slot]));
        nodeOfQueue.set(q![1]!, new Set([...(nodeOfQueue.get(q![1]!) ?? []), node]));
      }
    }
    for (const q of [queueName(region), NOTIFY_QUEUE, MAINTENANCE_QUEUE]) {
      expect(slotOfQueue.get(q)?.size, `keys of ${q}`).toBe(1);
      expect(nodeOfQueue.get(q)?.size).toBe(1);
    }
    const slots = [queueName(region), NOTIFY_QUEUE, MAINTENANCE_QUEUE].map((q) => [...slotOfQueue.get(q)!][0]);
    expect(new Set(slots).size).toBe(3);
    // The queues this test used all answer through the cluster client.
    expect((await sharedQueue(NOTIFY_QUEUE).getJobCounts("completed", "failed")).completed).toBeGreaterThanOrEqual(1);

    worker.kill("SIGTERM");
    expect(await new Promise((r) => worker!.once("exit", r))).toBe(0);
  });
});
