import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { incidents, monitors } from "../../src/server/db/schema";
import { createProbe } from "../../src/server/services/probes/create-probe";
import { revokeProbe } from "../../src/server/services/probes/revoke-probe";
import { assertProbeRedisUsers, probeRedisPassword } from "../../src/server/services/probes/redis-access";
import { probeRedisUser } from "../../src/server/probes/redis-acl";
import { redis } from "../../src/server/redis";
import { POST as resultsRoute } from "../../src/app/api/probe/results/route";
import { GET as configRoute } from "../../src/app/api/probe/monitors/[id]/route";
import { dayOf, mintProbeToken, signBody } from "../../src/server/probes/token";
import { checkQueue } from "../../src/server/monitors/schedule";
import { sealSecrets } from "../../src/server/monitors/config";
import { startProbe } from "../../workers/probe";
import { createOrg } from "../helpers/factories";
import { BASE_REDIS_URL } from "../helpers/test-db";
import { insertMonitor } from "../helpers/monitor-factory";

const region = `p-${randomBytes(3).toString("hex")}`;
let probe: Awaited<ReturnType<typeof createProbe>>;
let other: Awaited<ReturnType<typeof createProbe>>;
let orgId: string;

beforeAll(async () => {
  probe = await createProbe({ region });
  other = await createProbe({ region: `${region}-b` });
  orgId = (await createOrg()).id;
});
// ACL users live in the shared Redis, not in this run's database: leave none behind.
afterAll(async () => {
  await revokeProbe({ id: probe.id });
  await revokeProbe({ id: other.id });
});

function request(body: string, opts: { token?: string | null; secret?: string; ts?: number; tamper?: string } = {}) {
  const now = opts.ts ?? Math.floor(Date.now() / 1000);
  const token = opts.token === undefined ? mintProbeToken(probe.id, region, probe.secret, now) : opts.token;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) {
    headers.authorization = `Bearer ${token}`;
    headers["x-perigee-timestamp"] = String(now);
    headers["x-perigee-signature"] = signBody(opts.secret ?? probe.secret, dayOf(now), String(now), body);
  }
  return new Request("http://localhost:3000/api/probe/results", { method: "POST", headers, body: opts.tamper ?? body });
}

const batch = (monitorId: string, outcome: "up" | "down" = "down", r = region, at = new Date()) =>
  JSON.stringify({
    batchId: randomBytes(9).toString("base64url"),
    results: [
      {
        monitorId,
        version: 1,
        region: r,
        scheduledAt: at.toISOString(),
        startedAt: at.toISOString(),
        result: {
          outcome,
          statusCode: outcome === "up" ? 200 : 503,
          errorClass: outcome === "down" ? "status" : undefined,
          message: outcome === "down" ? "Expected status 200-299, got 503" : undefined,
          timings: { totalMs: 12 },
        },
      },
    ],
  });

describe("probe results ingest", () => {
  it("stores a signed batch and advances state (DOWN with an incident)", async () => {
    const m = await insertMonitor(orgId, { regions: [region], confirmations: 1 });
    const res = await resultsRoute(request(batch(m.id)));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ stored: 1, duplicates: 0 });
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(row!.state).toBe("DOWN");
    expect(await db().select().from(incidents).where(eq(incidents.monitorId, m.id))).toHaveLength(1);
  });

  it("refuses a replayed batch (409) and stores nothing twice", async () => {
    const m = await insertMonitor(orgId, { regions: [region] });
    const body = batch(m.id, "up");
    expect((await resultsRoute(request(body))).status).toBe(202);
    const again = await resultsRoute(request(body));
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toMatch(/replayed/);
    const n = await db().execute<{ n: string }>(sql`select count(*) as n from check_results where monitor_seq = ${m.seq}`);
    expect(Number(n.rows[0]!.n)).toBe(1);
  });

  it.each([
    ["no token", { token: null }, /Missing probe token/],
    ["garbage token", { token: "not.a.jwt" }, /signature is invalid/],
    ["another probe's secret", { secret: "wrong-secret-wrong-secret-wrong-secret-123" }, /request signature does not match/],
    ["expired token", { token: mintProbeToken("", "", "", 0) }, /Unknown or revoked probe|invalid/],
    ["tampered body", { tamper: "{}" }, /request signature does not match/],
  ] as const)("401 for %s", async (_name, opts, message) => {
    const m = await insertMonitor(orgId, { regions: [region] });
    const res = await resultsRoute(request(batch(m.id), opts as never));
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toMatch(message);
    expect(body.error.requestId).toBeTruthy();
  });

  it("401 for an expired token, a stale daily key, clock skew, and a token signed by another probe", async () => {
    const m = await insertMonitor(orgId, { regions: [region] });
    const now = Math.floor(Date.now() / 1000);
    const expired = mintProbeToken(probe.id, region, probe.secret, now - 86_400 - 5);
    const r1 = await resultsRoute(
      new Request("http://x/api/probe/results", {
        method: "POST",
        headers: { authorization: `Bearer ${expired}`, "x-perigee-timestamp": String(now), "x-perigee-signature": signBody(probe.secret, dayOf(now - 86_400 - 5), String(now), batch(m.id)) },
        body: batch(m.id),
      }),
    );
    expect(r1.status).toBe(401);
    expect((await r1.json()).error.message).toMatch(/expired|older than yesterday/);
    const skew = await resultsRoute(request(batch(m.id), { ts: now - 600, token: mintProbeToken(probe.id, region, probe.secret, now) }));
    expect(skew.status).toBe(401);
    const foreign = await resultsRoute(request(batch(m.id), { token: mintProbeToken(other.id, region, other.secret, now), secret: other.secret }));
    expect(foreign.status).toBe(401); // token's region claim differs from that probe's region
  });

  it("403 for results of another region, or for a monitor that does not use this region", async () => {
    const m = await insertMonitor(orgId, { regions: [region] });
    const r1 = await resultsRoute(request(batch(m.id, "down", `${region}-b`)));
    expect(r1.status).toBe(403);
    const elsewhere = await insertMonitor(orgId, { regions: ["default"] });
    const r2 = await resultsRoute(request(batch(elsewhere.id)));
    expect(r2.status).toBe(403);
    expect((await r2.json()).error.message).toMatch(/not checked from region/);
  });

  it("401 once the probe is revoked", async () => {
    const p = await createProbe({ region });
    const m = await insertMonitor(orgId, { regions: [region] });
    await revokeProbe({ id: p.id });
    const now = Math.floor(Date.now() / 1000);
    const res = await resultsRoute(request(batch(m.id), { token: mintProbeToken(p.id, region, p.secret, now), secret: p.secret }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/revoked/);
  });

  it("serves config (with secrets) only for monitors of the probe's region", async () => {
    const id = randomUUID();
    const m = await insertMonitor(orgId, {
      id,
      regions: [region],
      config: { url: "https://example.com/", method: "GET", authType: "bearer", expectedStatus: [200] },
      secretsEnc: sealSecrets(id, { authToken: "tok-xyz" }),
    });
    const now = Math.floor(Date.now() / 1000);
    const headers = {
      authorization: `Bearer ${mintProbeToken(probe.id, region, probe.secret, now)}`,
      "x-perigee-timestamp": String(now),
      "x-perigee-signature": signBody(probe.secret, dayOf(now), String(now), ""),
    };
    const ok = await configRoute(new Request(`http://x/api/probe/monitors/${m.id}`, { headers }), { params: Promise.resolve({ id: m.id }) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).config).toMatchObject({ type: "http", auth: { kind: "bearer", token: "tok-xyz" } });
    const elsewhere = await insertMonitor(orgId, { regions: ["default"] });
    const nf = await configRoute(new Request(`http://x/api/probe/monitors/${elsewhere.id}`, { headers }), { params: Promise.resolve({ id: elsewhere.id }) });
    expect(nf.status).toBe(404);
    const unsigned = await configRoute(new Request(`http://x/api/probe/monitors/${m.id}`), { params: Promise.resolve({ id: m.id }) });
    expect(unsigned.status).toBe(401);
  });
});

describe("the probe process, end to end", () => {
  let web: http.Server;
  let webUrl: string;
  let target: http.Server;
  let targetUp = true;
  beforeAll(async () => {
    // Stands in for the web process: adapts node:http to the real route handlers.
    web = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = `http://127.0.0.1${req.url}`;
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])) as [string, string][]);
      const r = req.url?.startsWith("/api/probe/results")
        ? await resultsRoute(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }))
        : await configRoute(new Request(url, { headers }), { params: Promise.resolve({ id: req.url!.split("/").pop()! }) });
      res.writeHead(r.status, { "content-type": "application/json" });
      res.end(await r.text());
    });
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    target = http.createServer((_q, s) => {
      s.writeHead(targetUp ? 200 : 503);
      s.end("shop");
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
  });
  afterAll(async () => {
    web.closeAllConnections();
    target.closeAllConnections();
    await Promise.all([new Promise((r) => web.close(r)), new Promise((r) => target.close(r))]);
  });

  it("takes its region's jobs, runs the check, and the signed results move the monitor UP then DOWN", { timeout: 30_000 }, async () => {
    const m = await insertMonitor(orgId, {
      regions: [region],
      confirmations: 1,
      config: { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, method: "GET", expectedStatus: [{ from: 200, to: 299 }] },
    });
    // With its own Redis user: the probe needs nothing beyond its region's queue.
    const logs: string[] = [];
    const p = await startProbe({ region, webUrl, probeId: probe.id, secret: probe.secret, redisUrl: probe.redisUrl, prefix: inject("redisPrefix"), allowPrivate: true, log: (m) => logs.push(m) });
    const state = async () => (await db().select().from(monitors).where(eq(monitors.id, m.id)))[0]!.state;
    const waitFor = async (s: string) => {
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (await state()) !== s) await new Promise((r) => setTimeout(r, 100));
      return state();
    };
    try {
      await checkQueue(region).add("check", { monitorId: m.id, version: 1, region }, { timestamp: Date.now() - 1000, removeOnComplete: true });
      expect(await waitFor("UP")).toBe("UP");
      targetUp = false;
      await checkQueue(region).add("check", { monitorId: m.id, version: 1, region }, { timestamp: Date.now(), removeOnComplete: true });
      expect(await waitFor("DOWN")).toBe("DOWN");
      const [inc] = await db().select().from(incidents).where(eq(incidents.monitorId, m.id));
      expect(inc!.causeMessage).toBe("Expected status 200-299, got 503");
      // Nothing was refused to it, and it knows it runs as its own user.
      expect(logs.filter((l) => /warning|failed|NOPERM/i.test(l))).toEqual([]);
    } finally {
      await p.stop();
    }
  });
});

describe("the probe under its own Redis user, with the worker's job schedulers", () => {
  it("runs repeated scheduler jobs and is never refused a command", { timeout: 30_000 }, async () => {
    const own = await createProbe({ region });
    const target = http.createServer((_q, s) => s.end("ok"));
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    const web = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = `http://127.0.0.1${req.url}`;
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])) as [string, string][]);
      const r = req.url?.startsWith("/api/probe/results")
        ? await resultsRoute(new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }))
        : await configRoute(new Request(url, { headers }), { params: Promise.resolve({ id: req.url!.split("/").pop()! }) });
      res.writeHead(r.status, { "content-type": "application/json" });
      res.end(await r.text());
    });
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
    const m = await insertMonitor(orgId, {
      regions: [region],
      config: { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, method: "GET", expectedStatus: [{ from: 200, to: 299 }] },
    });
    const logs: string[] = [];
    const p = await startProbe({
      region,
      webUrl: `http://127.0.0.1:${(web.address() as AddressInfo).port}`,
      probeId: own.id,
      secret: own.secret,
      redisUrl: own.redisUrl,
      prefix: inject("redisPrefix"),
      allowPrivate: true,
      log: (l) => logs.push(l),
    });
    const count = async () => Number((await db().execute<{ n: string }>(sql`select count(*) as n from check_results where monitor_seq = ${m.seq}`)).rows[0]!.n);
    try {
      await checkQueue(region).upsertJobScheduler(`mon-${m.id}`, { every: 400 }, { name: "check", data: { monitorId: m.id, version: 1, region }, opts: { removeOnComplete: true, removeOnFail: 100 } });
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (await count()) < 3) await new Promise((r) => setTimeout(r, 100));
      expect(await count()).toBeGreaterThanOrEqual(3);
    } finally {
      await checkQueue(region).removeJobScheduler(`mon-${m.id}`);
      await p.stop();
      web.closeAllConnections();
      target.closeAllConnections();
      await Promise.all([new Promise((r) => web.close(r)), new Promise((r) => target.close(r))]);
      await revokeProbe({ id: own.id }); // deletes the user; Redis keeps its log entries
    }
    // Redis logs every command or key an ACL refused; none may name this probe's user.
    const entries = (await redis().call("ACL", "LOG", "128")) as unknown[][];
    const mine = entries.filter((e) => e[e.indexOf("username") + 1] === probeRedisUser(own.id));
    expect(mine).toEqual([]);
    expect(logs.filter((l) => /warning|failed|NOPERM/i.test(l))).toEqual([]);
  });
});

describe("the probe's Redis user", () => {
  const prefix = () => inject("redisPrefix");
  async function asProbe<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const r = new Redis(probe.redisUrl, { maxRetriesPerRequest: 0, lazyConnect: true });
    try {
      await r.connect();
      return await fn(r);
    } finally {
      r.disconnect();
    }
  }
  const refused = (p: Promise<unknown>) =>
    p.then(
      () => "allowed",
      (e: Error) => (/NOPERM|can't access/.test(e.message) ? "refused" : `error: ${e.message}`),
    );

  it("is printed as the probe's REDIS_URL, with its own user and a password derived for it", () => {
    const u = new URL(probe.redisUrl);
    expect(decodeURIComponent(u.username)).toBe(probeRedisUser(probe.id));
    expect(decodeURIComponent(u.password)).toBe(probeRedisPassword(probe.id));
    expect(probeRedisPassword(probe.id)).not.toBe(probeRedisPassword(other.id));
  });

  it("reads and writes only its region's queue and check locks; every other key, command and queue is refused", async () => {
    await redis().set("api:auth:x", "planted-by-the-test", "EX", 60);
    const p = prefix();
    const results = await asProbe(async (r) => ({
      readAuth: await refused(r.get(`${p}api:auth:x`)),
      writeAuth: await refused(r.set(`${p}api:auth:${"a".repeat(64)}`, "{}")),
      writeUnprefixed: await refused(r.set("perigee:api:auth:x", "{}")),
      otherQueue: await refused(r.lpush(`${p}bull:checks-${region}-b:wait`, "1")),
      workerQueue: await refused(r.zadd(`${p}bull:checks-default:marker`, 0, "0")),
      notifications: await refused(r.get(`${p}bull:notifications:id`)),
      otherRegionLock: await refused(r.set(`${p}lock:check:m:${region}-b`, "1")),
      keys: await refused(r.keys("*")),
      scan: await refused(r.scan(0)),
      flushall: await refused(r.flushall()),
      config: await refused(r.config("GET", "*")),
      acl: await refused(r.call("ACL", "SETUSER", "evil", "on", ">x", "~*", "+@all")),
      scriptOnOtherKey: await refused(r.eval("return redis.call('GET', KEYS[1])", 1, `${p}api:auth:x`)),
      scriptReachingOut: await refused(r.eval(`return redis.call('SET', '${p}api:auth:y', '1')`, 0)),
      publish: await refused(r.publish("anything", "x")),
      ownQueue: await refused(r.get(`${p}bull:checks-${region}:id`)),
      ownLock: await refused(r.set(`${p}lock:check:m:${region}`, "1", "PX", 1000)),
    }));
    expect(results).toEqual({
      readAuth: "refused",
      writeAuth: "refused",
      writeUnprefixed: "refused",
      otherQueue: "refused",
      workerQueue: "refused",
      notifications: "refused",
      otherRegionLock: "refused",
      keys: "refused",
      scan: "refused",
      flushall: "refused",
      config: "refused",
      acl: "refused",
      scriptOnOtherKey: "refused",
      scriptReachingOut: "refused",
      publish: "refused",
      ownQueue: "allowed",
      ownLock: "allowed",
    });
    expect(await redis().get("api:auth:x")).toBe("planted-by-the-test");
  });

  it("is re-asserted after Redis forgets it, and removed when the probe is revoked", async () => {
    const p = await createProbe({ region });
    // AUTH as the probe's user on a fresh connection (deleting a user closes its connections).
    const ping = async () => {
      const conn = new Redis(BASE_REDIS_URL, { maxRetriesPerRequest: 0 });
      try {
        return await conn.call("AUTH", probeRedisUser(p.id), probeRedisPassword(p.id)).then(
          () => "PONG",
          (e: Error) => `refused: ${e.message}`,
        );
      } finally {
        conn.disconnect();
      }
    };
    expect(await ping()).toBe("PONG");
    await redis().call("ACL", "DELUSER", probeRedisUser(p.id)); // as after a Redis restart without an aclfile
    expect(await ping()).toMatch(/refused: WRONGPASS/);
    await assertProbeRedisUsers();
    expect(await ping()).toBe("PONG");
    await revokeProbe({ id: p.id });
    expect(await ping()).toMatch(/refused: WRONGPASS/);
    await assertProbeRedisUsers();
    expect(await ping()).toMatch(/refused: WRONGPASS/);
  });
});
