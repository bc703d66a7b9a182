import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAccessLog } from "../../src/server/api/access-log";
import { SCOPE_NAMES, type Scope } from "../../src/server/auth/scopes";
import { hashApiKey } from "../../src/server/api/keys";
import { db } from "../../src/server/db/client";
import { apiKeys, apiAccessLog, statusSubscribers } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { redis } from "../../src/server/redis";
import { revokeApiKey } from "../../src/server/services/api-keys/revoke";
import { changeRole } from "../../src/server/services/organizations/change-role";
import { removeMember } from "../../src/server/services/organizations/remove-member";
import { createApiKey } from "../../src/server/services/api-keys/create";
import { createChannel } from "../../src/server/services/channels/create";
import { createMonitor } from "../../src/server/services/monitors/create";
import { createStatusIncident } from "../../src/server/services/status-incidents/create";
import { createStatusMaintenance } from "../../src/server/services/status-maintenances/create";
import { createStatusPage } from "../../src/server/services/status-pages/create";
import { api, apiTenant, countingQueries, errorShaped, OPERATIONS } from "../helpers/api";
import { down, res } from "../helpers/monitor-factory";

/**
 * Security files: authentication, scopes for every operation, and an automated sweep that
 * every route with an id answers 404 for another organization's resources.
 */
type Ids = { monitor: string; event: string; channel: string; statusPage: string; statusIncident: string; statusMaintenance: string; statusSubscriber: string };
let mine: Awaited<ReturnType<typeof apiTenant>>;
let theirs: Awaited<ReturnType<typeof apiTenant>>;
let theirIds: Ids;
let myIds: Ids;

async function seed(t: Awaited<ReturnType<typeof apiTenant>>): Promise<Ids> {
  const m = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "Seed", type: "tcp", host: "127.0.0.1", port: 9, confirmations: 1, paused: false } });
  await recordResults([res(m.id, down())]);
  const [ev] = await db()
    .execute<{ id: string }>(`select id from incidents where monitor_id = '${m.id}'` as never)
    .then((r) => r.rows);
  const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Seed", type: "email", to: "a@example.test" } });
  const page = await createStatusPage({ ctx: t.ctx.ADMIN, input: { name: "Seed", slug: `seed-${randomUUID().slice(0, 8)}`, components: [{ monitorId: m.id }] } });
  const inc = await createStatusIncident({ ctx: t.ctx.ADMIN, pageId: page.id, input: { title: "Seed", body: "Seed", publish: false } });
  const mt = await createStatusMaintenance({ ctx: t.ctx.ADMIN, pageId: page.id, input: { title: "Seed", startsAt: "2099-01-01T00:00:00Z", endsAt: "2099-01-01T01:00:00Z" } });
  const [sub] = await db()
    .insert(statusSubscribers)
    .values({ organizationId: t.org.id, pageId: page.id, kind: "email", email: `${randomUUID()}@example.test` })
    .returning();
  return { monitor: m.id, event: ev!.id, channel: ch.id, statusPage: page.id, statusIncident: inc.id, statusMaintenance: mt.id, statusSubscriber: sub!.id };
}

const randomIds = (): Ids => ({
  monitor: randomUUID(),
  event: randomUUID(),
  channel: randomUUID(),
  statusPage: randomUUID(),
  statusIncident: randomUUID(),
  statusMaintenance: randomUUID(),
  statusSubscriber: randomUUID(),
});

beforeAll(async () => {
  mine = await apiTenant("Mine");
  theirs = await apiTenant("Theirs");
  myIds = await seed(mine);
  theirIds = await seed(theirs);
});

const idOf = (p: string, ids: Ids) =>
  p.startsWith("/api/v1/events") ? ids.event : p.startsWith("/api/v1/channels") ? ids.channel : p.startsWith("/api/v1/status-pages") ? ids.statusPage : ids.monitor;
const pathFor = (p: string, ids: Ids) =>
  p.replace("{incidentId}", ids.statusIncident).replace("{maintenanceId}", ids.statusMaintenance).replace("{subscriberId}", ids.statusSubscriber).replace("{id}", idOf(p, ids));
/** A body each writing operation accepts (status-page bodies name the seeded monitor). */
const STATUS_BODIES: Record<string, () => unknown> = {
  "POST /api/v1/status-pages": () => ({ name: "P", slug: `p-${randomUUID().slice(0, 8)}`, components: [{ monitorId: myIds.monitor }] }),
  "PATCH /api/v1/status-pages/{id}": () => ({ name: "P2" }),
  "PUT /api/v1/status-pages/{id}/components": () => ({ components: [{ monitorId: myIds.monitor, name: "API" }] }),
  "POST /api/v1/status-pages/{id}/incidents": () => ({ title: "T", body: "B" }),
  "PATCH /api/v1/status-pages/{id}/incidents/{incidentId}": () => ({ title: "T2" }),
  "POST /api/v1/status-pages/{id}/incidents/{incidentId}/updates": () => ({ status: "identified", body: "B" }),
  "POST /api/v1/status-pages/{id}/incidents/{incidentId}/publish": () => ({}),
  "POST /api/v1/status-pages/{id}/maintenances": () => ({ title: "M", startsAt: "2099-02-01T00:00:00Z", endsAt: "2099-02-01T01:00:00Z" }),
  "PATCH /api/v1/status-pages/{id}/maintenances/{maintenanceId}": () => ({ title: "M2" }),
  "POST /api/v1/status-pages/{id}/subscribers": () => ({ url: "https://example.com/perigee-hook" }),
};
const validBody = (op: (typeof OPERATIONS)[number]) =>
  STATUS_BODIES[`${op.method} ${op.path}`]?.() ??
  (op.method !== "POST" && op.method !== "PATCH"
    ? undefined
    : op.path.startsWith("/api/v1/channels")
      ? { name: "C", type: "email", to: "b@example.test" }
      : op.path.startsWith("/api/v1/monitors")
        ? { name: "M", type: "tcp", host: "127.0.0.1", port: 9, paused: true }
        : undefined);

describe("authentication", () => {
  it("refuses a missing, non-bearer, malformed, unknown, revoked or expired key with 401 in the error shape", async () => {
    const { key, id } = await mine.key();
    const expiring = await mine.key(["monitors:read"], { expiresAt: new Date(Date.now() + 120_000) });
    await db()
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expiring.id));
    const unknown = (await import("../../src/server/api/keys")).generateApiKey().key;
    const revoked = await mine.key(["monitors:read"]);
    await revokeApiKey({ ctx: mine.ctx.ADMIN, keyId: revoked.id });
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /Send an API key/],
      [{ authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }, /Send an API key/],
      [{ authorization: "Bearer not-a-key" }, /not a valid Perigee key/],
      [{ authorization: `Bearer ${key.slice(0, -1)}A` === `Bearer ${key}` ? `Bearer ${key.slice(0, -1)}B` : `Bearer ${key.slice(0, -1)}A` }, /not a valid Perigee key/],
      [{ authorization: `Bearer ${unknown}` }, /unknown/],
      [{ authorization: `Bearer ${revoked.key}` }, /revoked/],
      [{ authorization: `Bearer ${expiring.key}` }, /expired/],
    ];
    for (const [headers, msg] of cases) {
      const r = await api("GET", "/api/v1/monitors", { headers });
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(errorShaped(r.body)).toBe(true);
      expect((r.body as { error: { message: string } }).error.message).toMatch(msg);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect((await api("GET", "/api/v1/monitors", { key })).status).toBe(200);
    expect(id).toBeDefined();
  });

  it("refuses a checksum-invalid key without any database query", async () => {
    const { key } = await mine.key();
    const bad = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    const { result: r, queries } = await countingQueries(() => api("GET", "/api/v1/monitors", { key: bad }));
    expect(r.status).toBe(401);
    expect(queries).toBe(0);
  });

  it("a revoked or unknown key, once refused, is refused again without a database query", async () => {
    const k = await mine.key(["monitors:read"]);
    await revokeApiKey({ ctx: mine.ctx.ADMIN, keyId: k.id });
    const unknown = (await import("../../src/server/api/keys")).generateApiKey().key;
    for (const dead of [k.key, unknown]) expect((await api("GET", "/api/v1/monitors", { key: dead })).status).toBe(401);
    const { result: answers, queries } = await countingQueries(() => Promise.all([k.key, unknown].map((dead) => api("GET", "/api/v1/monitors", { key: dead }))));
    expect(answers.map((r) => r.status)).toEqual([401, 401]);
    expect(answers.map((r) => (r.body as { error: { message: string } }).error.message)).toEqual([expect.stringMatching(/revoked/), expect.stringMatching(/unknown/)]);
    expect(queries).toBe(0);
  });

  it("never reads cookies: a session cookie alone is 401", async () => {
    const r = await api("GET", "/api/v1/monitors", { headers: { cookie: "perigee_session=anything" } });
    expect(r.status).toBe(401);
  });

  it("revocation takes effect on the next request", async () => {
    const k = await mine.key(["monitors:read"]);
    expect((await api("GET", "/api/v1/monitors", { key: k.key })).status).toBe(200);
    await revokeApiKey({ ctx: mine.ctx.ADMIN, keyId: k.id });
    expect((await api("GET", "/api/v1/monitors", { key: k.key })).status).toBe(401);
  });

  it("revocation wins over a request that cached the key's resolution while the revocation committed", async () => {
    const k = await mine.key(["monitors:read"]);
    expect((await api("GET", "/api/v1/monitors", { key: k.key })).status).toBe(200);
    const cacheKey = `api:auth:${hashApiKey(k.key)}`;
    const resolution = await redis().get(cacheKey);
    expect(resolution).not.toBeNull();
    await revokeApiKey({ ctx: mine.ctx.ADMIN, keyId: k.id });
    // The racing request read the key before the commit and writes its cache entry after.
    await redis().set(cacheKey, resolution!, "EX", 60);
    const r = await api("GET", "/api/v1/monitors", { key: k.key });
    expect(r.status).toBe(401);
    expect((r.body as { error: { message: string } }).error.message).toMatch(/revoked/);
  });

  it("a key loses write scopes when its creator is demoted and stops when the creator is removed — on the next request", async () => {
    const t = await apiTenant("Demotion");
    const k = await createApiKey({ ctx: t.ctx.ADMIN, input: { name: "ci", scopes: ["monitors:read", "monitors:write"] } });
    const body = { name: "x", type: "tcp", host: "127.0.0.1", port: 9, paused: true };
    expect((await api("POST", "/api/v1/monitors", { key: k.key, body })).status).toBe(201); // resolution now cached
    // A second ADMIN demotes the key's creator through the service.
    await changeRole({ ctx: t.ctx.ADMIN, input: { userId: t.editor.id, role: "ADMIN" } });
    const otherAdmin = { ...t.ctx.EDITOR, org: { ...t.ctx.EDITOR.org, role: "ADMIN" as const } };
    await changeRole({ ctx: otherAdmin, input: { userId: t.admin.id, role: "VIEWER" } });
    expect((await api("GET", "/api/v1/monitors", { key: k.key })).status).toBe(200);
    const w = await api("POST", "/api/v1/monitors", { key: k.key, body });
    expect(w.status).toBe(403);
    expect((w.body as { error: { message: string } }).error.message).toMatch(/monitors:write/);
    await removeMember({ ctx: otherAdmin, userId: t.admin.id });
    const gone = await api("GET", "/api/v1/monitors", { key: k.key });
    expect(gone.status).toBe(401);
    expect((gone.body as { error: { message: string } }).error.message).toMatch(/no longer belongs/);
  });

  it("an ADMIN cannot grant more than their role, and only ADMINs create keys", async () => {
    await expect(createApiKey({ ctx: mine.ctx.EDITOR, input: { name: "x", scopes: ["monitors:read"] } })).rejects.toMatchObject({ status: 403 });
    await expect(createApiKey({ ctx: mine.ctx.ADMIN, input: { name: "x", scopes: ["monitors:fly"] } })).rejects.toMatchObject({
      status: 400,
      fields: { "scopes.0": [expect.stringMatching(/one of/)] },
    });
    await expect(createApiKey({ ctx: mine.ctx.ADMIN, input: { name: "x", scopes: [] } })).rejects.toMatchObject({ fields: { scopes: ["Choose at least one scope"] } });
    await expect(createApiKey({ ctx: mine.ctx.ADMIN, input: { name: "x", scopes: ["monitors:read"], expiresAt: "2001-01-01" } })).rejects.toMatchObject({
      fields: { expiresAt: ["Expiry must be in the future"] },
    });
  });

  it("records every authenticated request in the access log, with route pattern and no ids or secrets", async () => {
    const k = await mine.key(["monitors:read"]);
    await api("GET", `/api/v1/monitors/${myIds.monitor}`, { key: k.key });
    await api("GET", "/api/v1/monitors?limit=0", { key: k.key });
    await flushAccessLog();
    const rows = await db().select().from(apiAccessLog).where(eq(apiAccessLog.apiKeyId, k.id)).orderBy(apiAccessLog.id);
    expect(rows.map((r) => [r.method, r.route, r.status])).toEqual([
      ["GET", "/api/v1/monitors/{id}", 200],
      ["GET", "/api/v1/monitors", 400],
    ]);
    expect(rows[0]!.ip).toBe("198.51.100.9");
    expect(rows[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    const [used] = await db().select().from(apiKeys).where(eq(apiKeys.id, k.id));
    await new Promise((r) => setTimeout(r, 50));
    const [after] = await db().select().from(apiKeys).where(eq(apiKeys.id, k.id));
    expect((after ?? used)!.lastUsedAt).not.toBeNull();
    expect((after ?? used)!.lastUsedIp).toBe("198.51.100.9");
  });
});

describe("unknown keys from one address", () => {
  it("are looked up at most 30 a minute per address; then 429 with Retry-After and no database query, other addresses unaffected", async () => {
    const { generateApiKey } = await import("../../src/server/api/keys");
    const { UNKNOWN_KEYS_PER_IP_PER_MINUTE } = await import("../../src/server/services/api-keys/authenticate");
    // Start in a fresh minute window if this one is about to end, so all requests share it.
    if (new Date().getSeconds() > 50) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
    const from = { "x-perigee-client-ip": "203.0.113.77" };
    for (let i = 0; i < UNKNOWN_KEYS_PER_IP_PER_MINUTE; i++) expect((await api("GET", "/api/v1/monitors", { key: generateApiKey().key, headers: from })).status).toBe(401);
    const { result: r, queries } = await countingQueries(() => api("GET", "/api/v1/monitors", { key: generateApiKey().key, headers: from }));
    expect(queries).toBe(0);
    expect(r.status).toBe(429);
    expect(errorShaped(r.body)).toBe(true);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    // A real key from another address is unaffected.
    const k = await mine.key(["monitors:read"]);
    expect((await api("GET", "/api/v1/monitors", { key: k.key, headers: { "x-perigee-client-ip": "203.0.113.78" } })).status).toBe(200);
  });
});

describe("access log of refused keys", () => {
  it("a revoked or expired key's 401 lands in its organization's access log; an unknown key names no tenant and is not logged there", async () => {
    const revoked = await mine.key(["monitors:read"]);
    await revokeApiKey({ ctx: mine.ctx.ADMIN, keyId: revoked.id });
    const expired = await mine.key(["monitors:read"], { expiresAt: new Date(Date.now() + 120_000) });
    await db()
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expired.id));
    await flushAccessLog();
    const before = (await db().select().from(apiAccessLog).where(eq(apiAccessLog.organizationId, mine.org.id))).length;
    await api("GET", "/api/v1/monitors", { key: revoked.key });
    await api("GET", "/api/v1/monitors", { key: revoked.key }); // the cached refusal is logged too
    await api("GET", `/api/v1/events`, { key: expired.key });
    await api("GET", "/api/v1/monitors", { key: (await import("../../src/server/api/keys")).generateApiKey().key });
    await flushAccessLog();
    const rows = await db().select().from(apiAccessLog).where(eq(apiAccessLog.organizationId, mine.org.id)).orderBy(apiAccessLog.id);
    expect(rows.slice(before).map((r) => [r.apiKeyId, r.route, r.status])).toEqual([
      [revoked.id, "/api/v1/monitors", 401],
      [revoked.id, "/api/v1/monitors", 401],
      [expired.id, "/api/v1/events", 401],
    ]);
  });
});

describe("scopes: every operation refuses a key without its scope (403) and accepts one with it", () => {
  for (const op of OPERATIONS) {
    it(`${op.method} ${op.path} needs ${op.scope}`, async () => {
      const others = SCOPE_NAMES.filter((s) => s !== op.scope) as Scope[];
      const without = (await mine.key(others)).key;
      const method = op.method;
      const path = pathFor(op.path, myIds);
      const r = await api(method, path, { key: without, body: validBody(op) });
      expect(r.status).toBe(403);
      expect((r.body as { error: { code: string } }).error.code).toBe("insufficient_scope");
      if (op.method === "DELETE") return; // the happy path is in the route files
      const withIt = (await mine.key([op.scope])).key;
      const ok = await api(method, path, { key: withIt, body: validBody(op) });
      expect(ok.status, ok.text).toBe(op.response.status);
    });
  }
});

describe("tenancy sweep: every route with an id answers 404 for another organization's resource and for none", () => {
  for (const op of OPERATIONS.filter((o) => o.path.includes("{id}"))) {
    it(`${op.method} ${op.path}`, async () => {
      const key = (await mine.key()).key;
      const body = validBody(op);
      const nested = /\{(incidentId|maintenanceId|subscriberId)\}/.test(op.path);
      // A nested resource is looked up under its parent: another organization's under my page is none too.
      const underMine = nested ? [pathFor(op.path, { ...theirIds, statusPage: myIds.statusPage }), pathFor(op.path, { ...randomIds(), statusPage: myIds.statusPage })] : [];
      for (const path of [pathFor(op.path, theirIds), pathFor(op.path, randomIds()), op.path.replace("{id}", "not-a-uuid"), ...underMine]) {
        const r = await api(op.method, path, { key, body });
        expect(r.status, `${path}: ${r.text}`).toBe(404);
        expect(errorShaped(r.body)).toBe(true);
        expect(r.text).not.toContain("Theirs");
      }
    });
  }

  it("lists never include another organization's rows", async () => {
    const key = (await mine.key()).key;
    for (const path of ["/api/v1/monitors", "/api/v1/events", "/api/v1/channels", "/api/v1/status-pages"]) {
      const r = await api("GET", path, { key });
      expect(r.status).toBe(200);
      const ids = (r.body as { data: { id: string }[] }).data.map((x) => x.id);
      expect(ids).not.toContain(theirIds.monitor);
      expect(ids).not.toContain(theirIds.event);
      expect(ids).not.toContain(theirIds.channel);
      expect(ids).not.toContain(theirIds.statusPage);
    }
  });

  it("filters by another organization's monitor are 404, not an empty list", async () => {
    const key = (await mine.key()).key;
    expect((await api("GET", `/api/v1/events?monitorId=${theirIds.monitor}`, { key })).status).toBe(404);
  });
});

afterAll(() => undefined);

describe("access log retention", () => {
  it("deletes rows older than 30 days and keeps recent ones", async () => {
    const { purgeApiAccessLog } = await import("../../src/server/api/retention");
    const k = await mine.key(["monitors:read"]);
    const old = new Date(Date.now() - 31 * 86_400_000);
    await db()
      .insert(apiAccessLog)
      .values([
        { organizationId: mine.org.id, apiKeyId: k.id, method: "GET", route: "/api/v1/monitors", status: 200, latencyMs: 1, createdAt: old },
        { organizationId: mine.org.id, apiKeyId: k.id, method: "GET", route: "/api/v1/events", status: 200, latencyMs: 1 },
      ]);
    expect(await purgeApiAccessLog([mine.org.id], new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    const left = await db().select().from(apiAccessLog).where(eq(apiAccessLog.apiKeyId, k.id));
    expect(left.map((r) => r.route)).toEqual(["/api/v1/events"]);
  });
});
