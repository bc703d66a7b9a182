import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { monitorViewSchema } from "../../src/server/monitors/schema";
import { resultSchema, uptimeSchema } from "../../src/server/api/views";
import { eventViewSchema } from "../../src/server/services/events/view";
import { Redis } from "ioredis";
import { env } from "../../src/server/env";
import { db } from "../../src/server/db/client";
import { monitors } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { channelViewSchema } from "../../src/server/notifications/channel-schema";
import { api, apiTenant, errorShaped } from "../helpers/api";
import { down, res, up } from "../helpers/monitor-factory";

let t: Awaited<ReturnType<typeof apiTenant>>;
let key: string;
beforeAll(async () => {
  t = await apiTenant("Routes");
  key = (await t.key()).key;
});

const tcp = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, paused: true, ...extra });

describe("/monitors", () => {
  it("creates, reads, changes, pauses, resumes and deletes a monitor; answers match the documented schema", async () => {
    const c = await api("POST", "/api/v1/monitors", {
      key,
      body: {
        name: "Web",
        type: "http",
        url: "http://127.0.0.1:9/health",
        method: "GET",
        headers: { "X-Token": "s3cret" },
        expectedStatus: [200, "300-399"],
        keyword: "ok",
        intervalSeconds: 60,
        timeoutMs: 5000,
        confirmations: 3,
        regions: ["default"],
        channelIds: [],
        paused: true,
      },
    });
    expect(c.status, c.text).toBe(201);
    const m = monitorViewSchema.parse(c.body);
    expect(c.headers.get("location")).toBe(`/api/v1/monitors/${m.id}`);
    expect(m).toMatchObject({ name: "Web", type: "http", state: "PAUSED", confirmations: 3, channelIds: [], headers: { "X-Token": "••••••" } });
    expect(c.text).not.toContain("s3cret");
    expect(c.headers.get("cache-control")).toBe("no-store");

    const g = await api("GET", `/api/v1/monitors/${m.id}`, { key });
    expect(g.status).toBe(200);
    expect(g.body).toEqual(c.body);

    const p = await api("PATCH", `/api/v1/monitors/${m.id}`, { key, body: { name: "Web (renamed)", intervalSeconds: 120 } });
    expect(p.status, p.text).toBe(200);
    expect(p.body).toMatchObject({ name: "Web (renamed)", intervalSeconds: 120, keyword: "ok", headers: { "X-Token": "••••••" } });
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(row!.secretsEnc).not.toBeNull();

    const resumed = await api("POST", `/api/v1/monitors/${m.id}/resume`, { key });
    expect(resumed.body).toMatchObject({ paused: false, state: "PENDING" });
    const paused = await api("POST", `/api/v1/monitors/${m.id}/pause`, { key });
    expect(paused.body).toMatchObject({ paused: true, state: "PAUSED" });
    expect((await api("POST", `/api/v1/monitors/${m.id}/pause`, { key })).status).toBe(200); // idempotent

    const d = await api("DELETE", `/api/v1/monitors/${m.id}`, { key });
    expect(d.status).toBe(204);
    expect(d.text).toBe("");
    expect((await api("GET", `/api/v1/monitors/${m.id}`, { key })).status).toBe(404);
    expect((await api("DELETE", `/api/v1/monitors/${m.id}`, { key })).status).toBe(404);
  });

  it("answers 400 with field details, a clear message for bad JSON, and refuses unknown query parameters", async () => {
    const bad = await api("POST", "/api/v1/monitors", { key, body: { name: "", type: "http", url: "notaurl", intervalSeconds: 5, port: "x" } });
    expect(bad.status).toBe(400);
    const details = (bad.body as { error: { details: Record<string, string[]> } }).error.details;
    expect(Object.keys(details)).toEqual(expect.arrayContaining(["name", "intervalSeconds", "port"]));
    expect(errorShaped(bad.body)).toBe(true);
    const json = await api("POST", "/api/v1/monitors", { key, rawBody: "{not json" });
    expect(json.status).toBe(400);
    expect((json.body as { error: { code: string } }).error.code).toBe("invalid_json");
    const arr = await api("PATCH", `/api/v1/monitors/00000000-0000-4000-8000-000000000000`, { key, body: [1, 2] });
    expect(arr.status).toBe(400);
    const q = await api("GET", "/api/v1/monitors?limt=5", { key });
    expect(q.status).toBe(400);
    expect((q.body as { error: { details: Record<string, string[]> } }).error.details.limt).toBeDefined();
    expect((await api("GET", "/api/v1/monitors?cursor=garbage", { key })).status).toBe(400);
    const typeChange = await api("POST", "/api/v1/monitors", { key, body: tcp("T") });
    const ch = await api("PATCH", `/api/v1/monitors/${(typeChange.body as { id: string }).id}`, { key, body: { type: "http" } });
    expect(ch.status).toBe(400);
    expect((ch.body as { error: { details: Record<string, string[]> } }).error.details.type![0]).toMatch(/cannot change/);
  });

  it("answers 402 plan_limit_reached when the organization's monitor limit is reached", async () => {
    const small = await apiTenant("Small");
    const k = (await small.key()).key;
    const { organizations } = await import("../../src/server/db/schema");
    await db().update(organizations).set({ maxMonitors: 1 }).where(eq(organizations.id, small.org.id));
    expect((await api("POST", "/api/v1/monitors", { key: k, body: tcp("one") })).status).toBe(201);
    const over = await api("POST", "/api/v1/monitors", { key: k, body: tcp("two") });
    expect(over.status).toBe(402);
    expect((over.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: "plan_limit_reached",
      message: expect.stringMatching(/operator allows 1 monitor \(it has 1\)/),
      limit: { name: "monitors", plan: "self-hosted", allowed: 1, current: 1, requested: 2, upgradePlan: null },
    });
  });

  it("paginates with a cursor: stable under inserts, no duplicates, no gaps", async () => {
    const p = await apiTenant("Pages");
    const k = (await p.key()).key;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push(((await api("POST", "/api/v1/monitors", { key: k, body: tcp(`m${i}`) })).body as { id: string }).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: Awaited<ReturnType<typeof api>> = await api("GET", `/api/v1/monitors?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { key: k });
      expect(r.status).toBe(200);
      const b = r.body as { data: { id: string }[]; nextCursor: string | null };
      seen.push(...b.data.map((x) => x.id));
      cursor = b.nextCursor;
      // Someone creates monitors while we page.
      if (pages++ === 0) for (let i = 0; i < 2; i++) made.push(((await api("POST", "/api/v1/monitors", { key: k, body: tcp(`late${i}`) })).body as { id: string }).id);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(made);
    expect(pages).toBe(3);
  });

  it("results and uptime: raw checks newest first with a cursor, uptime from rollups", async () => {
    const c = await api("POST", "/api/v1/monitors", { key, body: tcp("Checked", { paused: false, confirmations: 1 }) });
    const id = (c.body as { id: string }).id;
    const base = Date.UTC(2026, 10, 22, 6, 0, 0);
    for (let i = 0; i < 5; i++) await recordResults([res(id, i === 2 ? down() : up(100 + i), "default", new Date(base + i * 60_000))]);
    const r1 = await api("GET", `/api/v1/monitors/${id}/results?limit=2`, { key });
    expect(r1.status, r1.text).toBe(200);
    const b1 = r1.body as { data: unknown[]; nextCursor: string };
    expect(b1.data.map((x) => resultSchema.parse(x).at)).toEqual([new Date(base + 4 * 60_000).toISOString(), new Date(base + 3 * 60_000).toISOString()]);
    // A new check arriving between pages does not shift the next page.
    await recordResults([res(id, up(), "default", new Date(base + 10 * 60_000))]);
    const r2 = await api("GET", `/api/v1/monitors/${id}/results?limit=2&cursor=${b1.nextCursor}`, { key });
    const b2 = r2.body as { data: { at: string; outcome: string; errorClass: string | null }[] };
    expect(b2.data.map((x) => x.at)).toEqual([new Date(base + 2 * 60_000).toISOString(), new Date(base + 60_000).toISOString()]);
    expect(b2.data[0]).toMatchObject({ outcome: "down", errorClass: "status" });
    const ranged = await api("GET", `/api/v1/monitors/${id}/results?from=${new Date(base + 60_000).toISOString()}&to=${new Date(base + 3 * 60_000).toISOString()}`, { key });
    expect((ranged.body as { data: unknown[] }).data).toHaveLength(2);
    expect((await api("GET", `/api/v1/monitors/${id}/results?from=yesterday`, { key })).status).toBe(400);

    const u = await api("GET", `/api/v1/monitors/${id}/uptime?window=90d`, { key });
    expect(u.status, u.text).toBe(200);
    const up90 = uptimeSchema.parse(u.body);
    expect(up90).toMatchObject({ window: "90d", checks: 6, successes: 5 });
    expect(up90.uptimePercent).toBeCloseTo(83.33, 1);
    const badWindow = await api("GET", `/api/v1/monitors/${id}/uptime?window=1y`, { key });
    expect(badWindow.status).toBe(400);
    expect((badWindow.body as { error: { details: Record<string, string[]> } }).error.details.window).toBeDefined();
  });
});

describe("/events", () => {
  it("lists incidents with filters and reads one", async () => {
    const e = await apiTenant("Events");
    const k = (await e.key()).key;
    const a = ((await api("POST", "/api/v1/monitors", { key: k, body: tcp("A", { paused: false, confirmations: 1 }) })).body as { id: string }).id;
    const b = ((await api("POST", "/api/v1/monitors", { key: k, body: tcp("B", { paused: false, confirmations: 1 }) })).body as { id: string }).id;
    await recordResults([res(a, down())]);
    await recordResults([res(a, up())]);
    await recordResults([res(b, down("Connection refused"))]);
    const all = await api("GET", "/api/v1/events", { key: k });
    const list = (all.body as { data: unknown[] }).data.map((x) => eventViewSchema.parse(x));
    expect(list.map((x) => x.monitorName)).toEqual(["B", "A"]);
    expect(list[1]).toMatchObject({ state: "closed", durationSeconds: expect.any(Number) });
    const open = await api("GET", "/api/v1/events?state=open", { key: k });
    expect((open.body as { data: { monitorId: string }[] }).data.map((x) => x.monitorId)).toEqual([b]);
    const byMonitor = await api("GET", `/api/v1/events?monitorId=${a}`, { key: k });
    expect((byMonitor.body as { data: { monitorId: string }[] }).data.map((x) => x.monitorId)).toEqual([a]);
    const one = await api("GET", `/api/v1/events/${list[0]!.id}`, { key: k });
    expect(one.body).toMatchObject({ id: list[0]!.id, state: "open", cause: { message: "Connection refused" } });
    expect((await api("GET", "/api/v1/events?state=sideways", { key: k })).status).toBe(400);
    const paged = await api("GET", "/api/v1/events?limit=1", { key: k });
    const next = (paged.body as { nextCursor: string }).nextCursor;
    const p2 = await api("GET", `/api/v1/events?limit=1&cursor=${next}`, { key: k });
    expect((p2.body as { data: { id: string }[]; nextCursor: null }).data[0]!.id).toBe(list[1]!.id);
    expect((p2.body as { nextCursor: null }).nextCursor).toBeNull();
  });
});

describe("/channels", () => {
  it("secrets are write-only; a webhook's signing secret is in the create answer only", async () => {
    const c = await api("POST", "/api/v1/channels", { key, body: { name: "Hook", type: "webhook", url: "https://hooks.example.com/T0/abc?token=sekret", isDefault: true } });
    expect(c.status, c.text).toBe(201);
    const ch = channelViewSchema.parse(c.body);
    expect(ch.signingSecret).toMatch(/^whsec_/);
    expect(ch.url).toBe("••••••");
    expect(c.text).not.toContain("sekret");
    const g = await api("GET", `/api/v1/channels/${ch.id}`, { key });
    expect(g.text).not.toContain("sekret");
    expect(g.text).not.toContain(ch.signingSecret!);
    const tg = await api("POST", "/api/v1/channels", { key, body: { name: "TG", type: "telegram", botToken: "123456789:AAE_test-token-0123456789abcdefghij", chatId: "-100123" } });
    expect(tg.status).toBe(201);
    expect(tg.text).not.toContain("AAE_test");
    const p = await api("PATCH", `/api/v1/channels/${(tg.body as { id: string }).id}`, { key, body: { chatId: "-100456", botToken: "••••••" } });
    expect(p.body).toMatchObject({ chatId: "-100456", botToken: "••••••" });
    const bad = await api("POST", "/api/v1/channels", { key, body: { name: "x", type: "sms", to: "12345" } });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { details: Record<string, string[]> } }).error.details.to![0]).toMatch(/international format/);
    const list = await api("GET", "/api/v1/channels?limit=1", { key });
    expect((list.body as { data: unknown[]; nextCursor: string | null }).nextCursor).not.toBeNull();
    expect((await api("DELETE", `/api/v1/channels/${ch.id}`, { key })).status).toBe(204);
    expect((await api("GET", `/api/v1/channels/${ch.id}`, { key })).status).toBe(404);
  });

  it("a monitor created through the API can route to the channels", async () => {
    const ch = (await api("POST", "/api/v1/channels", { key, body: { name: "Mail", type: "email", to: ["ops@example.test"] } })).body as { id: string };
    const m = await api("POST", "/api/v1/monitors", { key, body: tcp("Routed", { channelIds: [ch.id] }) });
    expect(m.body).toMatchObject({ channelIds: [ch.id] });
    const reset = await api("PATCH", `/api/v1/monitors/${(m.body as { id: string }).id}`, { key, body: { channelIds: null } });
    expect(reset.body).toMatchObject({ channelIds: null });
  });
});

describe("heartbeat URL", () => {
  it("is shown to keys that may change the monitor, never to read-only keys or VIEWERs (it can report success)", async () => {
    const c = await api("POST", "/api/v1/monitors", { key, body: { name: "Nightly backup", type: "heartbeat", intervalSeconds: 3600, paused: true } });
    expect(c.status, c.text).toBe(201);
    const url = (c.body as { heartbeatUrl: string }).heartbeatUrl;
    expect(url).toMatch(/\/api\/heartbeat\/[A-Za-z0-9_-]{20,}$/);
    const id = (c.body as { id: string }).id;
    expect((await api("GET", `/api/v1/monitors/${id}`, { key })).body).toMatchObject({ heartbeatUrl: url });
    const readOnly = (await t.key(["monitors:read"])).key;
    for (const r of [await api("GET", `/api/v1/monitors/${id}`, { key: readOnly }), await api("GET", "/api/v1/monitors?limit=100", { key: readOnly })]) {
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(url.split("/").pop()!);
      expect(r.text).not.toContain("heartbeatUrl");
    }
    const { getMonitor } = await import("../../src/server/services/monitors/get");
    const { listMonitors } = await import("../../src/server/services/monitors/list");
    expect((await getMonitor({ ctx: t.ctx.VIEWER, monitorId: id })).heartbeatUrl).toBeUndefined();
    expect((await listMonitors({ ctx: t.ctx.VIEWER })).find((m) => m.id === id)!.heartbeatUrl).toBeUndefined();
    expect((await getMonitor({ ctx: t.ctx.EDITOR, monitorId: id })).heartbeatUrl).toBe(url);
  });
});

describe("idempotency", () => {
  it("replays the first answer for the same key and body, refuses a different body, and does not create twice", async () => {
    const ik = `create-${Date.now()}`;
    const body = tcp("Once");
    const a = await api("POST", "/api/v1/monitors", { key, body, headers: { "idempotency-key": ik } });
    const b = await api("POST", "/api/v1/monitors", { key, body, headers: { "idempotency-key": ik } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(a.headers.get("location")).toBe(`/api/v1/monitors/${(a.body as { id: string }).id}`);
    expect(b.headers.get("location")).toBe(a.headers.get("location"));
    // A webhook's signing secret is in the kept answer (a lost response must be recoverable by
    // the retry), but never in the clear in Redis.
    const hookIk = `hook-${Date.now()}`;
    const hookBody = { name: "Idem hook", type: "webhook", url: "https://hooks.example.com/perigee" };
    const h1 = await api("POST", "/api/v1/channels", { key, body: hookBody, headers: { "idempotency-key": hookIk } });
    const h2 = await api("POST", "/api/v1/channels", { key, body: hookBody, headers: { "idempotency-key": hookIk } });
    const secret = (h1.body as { signingSecret: string }).signingSecret;
    expect(secret).toMatch(/^whsec_/);
    expect((h2.body as { signingSecret: string }).signingSecret).toBe(secret);
    const raw = new Redis(env().REDIS_URL); // no key prefix: see exactly what Redis holds
    const stored = await Promise.all((await raw.keys(`${env().REDIS_PREFIX}api:idem:*`)).map((k) => raw.get(k)));
    raw.disconnect();
    expect(stored.length).toBeGreaterThan(0);
    for (const v of stored) expect(v).not.toContain(secret.slice(6));
    const rows = await db().select().from(monitors).where(eq(monitors.organizationId, t.org.id));
    expect(rows.filter((r) => r.name === "Once")).toHaveLength(1);
    const c = await api("POST", "/api/v1/monitors", { key, body: tcp("Twice"), headers: { "idempotency-key": ik } });
    expect(c.status).toBe(422);
    expect((c.body as { error: { code: string } }).error.code).toBe("idempotency_key_reused");
    // Concurrent duplicates: one runs, the other is told it is in progress or gets the replay.
    const ik2 = `race-${Date.now()}`;
    const both = await Promise.all([0, 1].map(() => api("POST", "/api/v1/monitors", { key, body: tcp("Race"), headers: { "idempotency-key": ik2 } })));
    expect(both.map((x) => x.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const x of both) expect([201, 409]).toContain(x.status);
    const race = (await db().select().from(monitors).where(eq(monitors.organizationId, t.org.id))).filter((r) => r.name === "Race");
    expect(race).toHaveLength(1);
    // Another key's identical Idempotency-Key is independent.
    const other = (await t.key()).key;
    const d = await api("POST", "/api/v1/monitors", { key: other, body, headers: { "idempotency-key": ik } });
    expect(d.status).toBe(201);
    expect((d.body as { id: string }).id).not.toBe((a.body as { id: string }).id);
  });
});

describe("account export", () => {
  it("streams the key's organization as a JSON attachment (tests/integration/account-export.test.ts covers the content)", async () => {
    const r = await api("GET", "/api/v1/account/export", { key });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toMatch(/^attachment/);
    expect((r.body as { schemaVersion: number; scope: { organizations: string[] } }).scope.organizations).toEqual([t.org.id]);
  });
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1, public, and documents every route and its scope", async () => {
    const { GET } = await import("../../src/app/api/v1/openapi.json/route");
    const r = GET();
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, { "x-required-scope": string; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe("3.1.0");
    const { OPERATIONS } = await import("../helpers/api");
    expect(OPERATIONS.length).toBeGreaterThan(10);
    for (const op of OPERATIONS) {
      const documented = doc.paths[op.path.replace("/api/v1", "")]?.[op.method.toLowerCase()];
      expect(documented, `${op.method} ${op.path}`).toBeDefined();
      expect(documented!["x-required-scope"]).toBe(op.scope);
      expect(documented!.responses["401"]).toBeDefined();
      expect(documented!.responses[String(op.response.status)]).toBeDefined();
    }
    expect(JSON.stringify(doc.paths["/monitors"]!.post)).toContain('"intervalSeconds"');
  });

  it("documents the headers real answers carry, and every $ref resolves", async () => {
    type Resp = { headers?: Record<string, unknown> };
    const doc = (await import("../../src/web/api-doc")).apiDocument("http://localhost:3000") as { paths: Record<string, Record<string, { responses: Record<string, Resp> }>> };
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    expect(JSON.stringify(doc)).not.toContain("$defs");
    for (const ref of new Set(refs))
      expect(
        ref.split("/").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc),
        ref,
      ).toBeDefined();
    const documented = (path: string, method: string, status: number) => Object.keys(doc.paths[path]![method]!.responses[String(status)]!.headers ?? {}).filter((h) => h !== "Idempotent-Replayed");
    const cases: [string, string, string, number, unknown?][] = [
      ["GET", "/api/v1/monitors", "/monitors", 200],
      ["POST", "/api/v1/monitors", "/monitors", 201, tcp("Documented")],
      ["GET", "/api/v1/monitors/00000000-0000-4000-8000-000000000000", "/monitors/{id}", 404],
      ["GET", "/api/v1/events?state=maybe", "/events", 400],
    ];
    for (const [method, url, path, status, body] of cases) {
      const r = await api(method, url, { key, body });
      expect(r.status, r.text).toBe(status);
      const names = documented(path, method.toLowerCase(), status);
      expect(names).toContain("RateLimit-Remaining");
      for (const h of names) expect(r.headers.get(h), `${method} ${path} ${status}: ${h}`).not.toBeNull();
    }
    expect(Object.keys(doc.paths["/monitors"]!.post!.responses["429"]!.headers!)).toContain("Retry-After");
    expect(Object.keys(doc.paths["/monitors"]!.post!.responses["201"]!.headers!)).toEqual(expect.arrayContaining(["Idempotent-Replayed", "Location"]));
  });
});
