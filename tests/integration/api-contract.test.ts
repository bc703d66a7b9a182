import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "../../src/server/env";
import { ERROR_CODES } from "../../src/server/errors";
import { createChannel } from "../../src/server/services/channels/create";
import { createMonitor } from "../../src/server/services/monitors/create";
import { eventViewSchema } from "../../src/server/services/events/view";
import { apiDocument } from "../../src/web/api-doc";
import { API_ROUTE_MODULES } from "../../src/web/api-routes";
import { api, apiTenant, errorShaped, OPERATIONS, ROUTES } from "../helpers/api";

/**
 * The REST contract: each route file declares its operations once and everything else reads
 * the declarations; answers follow their strict schemas; every error code is documented; the
 * API refuses what docs/api.md says it refuses.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const V1 = path.join(ROOT, "src/app/api/v1");

let t: Awaited<ReturnType<typeof apiTenant>>;
let key: string;
beforeAll(async () => {
  t = await apiTenant("Contract");
  key = (await t.key()).key;
});

type Details = { error: { code: string; message: string; details?: Record<string, string[]>; docs: string } };
const tcp = (extra: Record<string, unknown> = {}) => ({ name: "T", type: "tcp", host: "127.0.0.1", port: 9, paused: true, ...extra });

describe("one declaration per route", () => {
  it("the dispatcher's module list holds every route file under src/app/api/v1, each declaring the path it is served at", async () => {
    const files = (readdirSync(V1, { recursive: true }) as string[]).filter((f) => f.endsWith("route.ts")).sort();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const mod = (await import(path.join(V1, file))) as Record<string, unknown>;
      const listed = API_ROUTE_MODULES.find((m) => m.GET === mod.GET && m.POST === mod.POST && m.PATCH === mod.PATCH && m.DELETE === mod.DELETE);
      expect(listed, `${file} is missing from API_ROUTE_MODULES in src/web/api-routes.ts`).toBeDefined();
      const served = `/api/v1/${path.dirname(file).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
      expect(ROUTES.find((r) => r.module === listed)!.pattern, file).toBe(served);
    }
    expect(API_ROUTE_MODULES).toHaveLength(files.length);
  });

  it("every handler of a /api/v1 route file (but the public document) carries its declaration", () => {
    for (const r of ROUTES) {
      for (const [method, h] of Object.entries(r.handlers)) {
        if (r.pattern === "/api/v1/openapi.json") continue;
        expect((h as { operation?: { method: string; path: string } }).operation, `${method} ${r.pattern}`).toMatchObject({ method, path: r.pattern });
      }
    }
  });

  it("the OpenAPI document has exactly the declared operations", () => {
    const doc = apiDocument("http://localhost:3000") as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} /api/v1${p}`));
    expect(documented.sort()).toEqual(OPERATIONS.map((o) => `${o.method} ${o.path}`).sort());
  });
});

describe("strict response views", () => {
  it("every object in every declared response (and the error body) refuses unknown fields", () => {
    const doc = apiDocument("http://localhost:3000") as { components: { schemas: Record<string, unknown> }; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const loose: string[] = [];
    const walk = (v: unknown, where: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${where}[${i}]`));
      if (!v || typeof v !== "object") return;
      const o = v as Record<string, unknown>;
      if (o.type === "object" && o.properties && o.additionalProperties !== false) loose.push(where);
      for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
    };
    walk(doc.components.schemas, "components");
    for (const [p, ops] of Object.entries(doc.paths)) for (const [m, op] of Object.entries(ops)) walk(op.responses, `${m} ${p}`);
    expect(loose).toEqual([]);
  });

  it("a field a view gains without its schema fails the answer's check", () => {
    const view = {
      id: "00000000-0000-4000-8000-000000000000",
      monitorId: "00000000-0000-4000-8000-000000000001",
      monitorName: "M",
      state: "open",
      openedAt: new Date().toISOString(),
      closedAt: null,
      durationSeconds: 1,
      cause: { errorClass: null, message: null, statusCode: null },
      regionsDown: [],
      duringMaintenance: false,
    };
    expect(eventViewSchema.safeParse(view).success).toBe(true);
    expect(eventViewSchema.safeParse({ ...view, internalNote: "x" }).success).toBe(false);
    expect(eventViewSchema.safeParse({ ...view, cause: { ...view.cause, raw: "x" } }).success).toBe(false);
  });
});

describe("error codes", () => {
  const docs = readFileSync(path.join(ROOT, "docs/api.md"), "utf8");

  it("docs/api.md has an entry for every code, and for no other", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(docs, code).toContain(`<a id="error-${code}"></a>`);
    const anchors = [...docs.matchAll(/<a id="error-(\w+)"><\/a>/g)].map((m) => m[1]);
    expect(anchors.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it("every error code written in src/ is in the catalog", () => {
    const src = path.join(ROOT, "src");
    const used = new Set<string>();
    for (const f of readdirSync(src, { recursive: true }) as string[]) {
      if (!/\.tsx?$/.test(f)) continue;
      const text = readFileSync(path.join(src, f), "utf8");
      for (const m of text.matchAll(/readonly code = "([a-z_]+)"|RequestRefused\(\s*"(\w+)"|errors: \[([^\]]*)\]/g)) {
        for (const c of (m[1] ?? m[2] ?? m[3]!).match(/\w+/g) ?? []) used.add(c);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    for (const c of used) expect(Object.keys(ERROR_CODES), c).toContain(c);
  });

  it("every error body links to its code's entry", async () => {
    const r = await api("GET", "/api/v1/monitors");
    expect(r.status).toBe(401);
    expect((r.body as Details).error.docs).toBe(`${env().APP_URL}/docs/api#error-unauthorized`);
    const nf = await api("GET", "/api/v1/monitors/00000000-0000-4000-8000-000000000000", { key });
    expect((nf.body as Details).error).toMatchObject({ code: "not_found", docs: `${env().APP_URL}/docs/api#error-not_found` });
  });
});

describe("request bodies are JSON", () => {
  it("a text/plain body, or a body without a Content-Type, is 415 unsupported_media_type", async () => {
    const json = JSON.stringify(tcp({ name: "Plain" }));
    for (const contentType of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", null]) {
      const r = await api("POST", "/api/v1/monitors", { key, rawBody: json, contentType });
      expect(r.status, String(contentType)).toBe(415);
      expect((r.body as Details).error.code).toBe("unsupported_media_type");
    }
    const patched = await api("POST", "/api/v1/monitors", { key, body: tcp() });
    const id = (patched.body as { id: string }).id;
    expect((await api("PATCH", `/api/v1/monitors/${id}`, { key, rawBody: '{"name":"x"}', contentType: "text/plain" })).status).toBe(415);
    // JSON with a charset, or a +json type, is JSON; an empty body needs no type.
    expect((await api("POST", "/api/v1/monitors", { key, rawBody: json, contentType: "application/json; charset=utf-8" })).status).toBe(201);
    expect((await api("POST", `/api/v1/monitors/${id}/pause`, { key, contentType: null })).status).toBe(200);
  });
});

describe("query parameters", () => {
  it("an unknown parameter is refused on every operation, ?_method=DELETE included", async () => {
    const m = (await api("POST", "/api/v1/monitors", { key, body: tcp() })).body as { id: string };
    for (const [method, url] of [
      ["POST", "/api/v1/monitors?_method=DELETE"],
      ["GET", `/api/v1/monitors/${m.id}?_method=DELETE`],
      ["PATCH", `/api/v1/monitors/${m.id}?_method=DELETE`],
      ["DELETE", `/api/v1/monitors/${m.id}?force=1`],
      ["POST", `/api/v1/monitors/${m.id}/pause?x=1`],
      ["GET", "/api/v1/events?monitor=1"],
    ] as const) {
      const r = await api(method, url, { key, body: method === "POST" || method === "PATCH" ? tcp() : undefined });
      expect(r.status, `${method} ${url}: ${r.text}`).toBe(400);
      expect(Object.keys((r.body as Details).error.details!), url).toEqual([url.split("?")[1]!.split("=")[0]]);
    }
    expect((await api("GET", `/api/v1/monitors/${m.id}`, { key })).status).toBe(200);
  });

  it("malformed times and numbers are 400 with a message for the parameter", async () => {
    for (const [url, field] of [
      ["/api/v1/events?from=1'", "from"],
      ["/api/v1/events?to=2026-02-30", "to"],
      ["/api/v1/events?from=yesterday", "from"],
      ["/api/v1/events?from=2026-11-22T12:00", "from"],
      ["/api/v1/events?limit=5x", "limit"],
      ["/api/v1/events?limit=1e1", "limit"],
      ["/api/v1/monitors?limit=-1", "limit"],
      ["/api/v1/events?monitorId=1", "monitorId"],
      ["/api/v1/events?limit=1&limit=2", "limit"],
    ] as const) {
      const r = await api("GET", url, { key });
      expect(r.status, `${url}: ${r.text}`).toBe(400);
      expect((r.body as Details).error.details?.[field]?.[0], url).toMatch(/./);
    }
    for (const url of ["/api/v1/events?from=2026-11-22T12:00:00Z", "/api/v1/events?from=2026-11-22&to=2026-11-23T00:00:00.5%2B01:00", "/api/v1/events?limit="]) {
      expect((await api("GET", url, { key })).status, url).toBe(200);
    }
  });
});

describe("control characters", () => {
  it("are refused in any field of a REST body with the field's path (400, not a database error)", async () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ["POST", "/api/v1/monitors", tcp({ name: "a\u0000b" }), "name"],
      ["POST", "/api/v1/monitors", { name: "K", type: "http", url: "http://127.0.0.1:9/", keyword: "ok\u0000", paused: true }, "keyword"],
      ["POST", "/api/v1/monitors", { name: "U", type: "http", url: "http://127.0.0.1:9/\u0000", paused: true }, "url"],
      ["POST", "/api/v1/monitors", { name: "H", type: "http", url: "http://127.0.0.1:9/", headers: { "X-A": "b\u0007" }, paused: true }, "headers.X-A"],
      ["POST", "/api/v1/monitors", tcp({ name: "tab\there" }), "name"],
      ["POST", "/api/v1/monitors", tcp({ name: "del\u007f" }), "name"],
      ["POST", "/api/v1/monitors", { name: "B", type: "http", method: "POST", url: "http://127.0.0.1:9/", body: "{\u0000}", paused: true }, "body"],
      ["POST", "/api/v1/channels", { name: "c\u0000", type: "email", to: "a@example.test" }, "name"],
      ["POST", "/api/v1/channels", { name: "c", type: "email", to: ["a@example.test", "b\u0000@example.test"] }, "to.1"],
    ];
    for (const [method, url, body, field] of cases) {
      const r = await api(method, url, { key, body });
      expect(r.status, `${field}: ${r.text}`).toBe(400);
      expect((r.body as Details).error.details?.[field], `${field}: ${r.text}`).toBeDefined();
    }
    const m = (await api("POST", "/api/v1/monitors", { key, body: tcp() })).body as { id: string };
    const p = await api("PATCH", `/api/v1/monitors/${m.id}`, { key, body: { name: "x\u0000" } });
    expect(p.status).toBe(400);
    expect((p.body as Details).error.details?.name).toBeDefined();
    // Tabs and line breaks are text in a multi-line field such as a request body.
    const ok = await api("POST", "/api/v1/monitors", { key, body: { name: "Multi", type: "http", method: "POST", url: "http://127.0.0.1:9/", body: '{\n\t"a": 1\r\n}', paused: true } });
    expect(ok.status, ok.text).toBe(201);
  });

  it("are refused by the services too, with the field's path", async () => {
    await expect(createMonitor({ ctx: t.ctx.ADMIN, input: tcp({ name: "svc\u0000" }) })).rejects.toMatchObject({ status: 400, fields: { name: [expect.stringMatching(/control characters/)] } });
    await expect(createChannel({ ctx: t.ctx.ADMIN, input: { name: "svc", type: "slack", url: "https://hooks.slack.com/services/T0\u0000" } })).rejects.toMatchObject({
      status: 400,
      fields: { url: [expect.any(String)] },
    });
  });
});

describe("errors share one shape", () => {
  it("including the heartbeat route's", async () => {
    const { GET } = await import("../../src/app/api/heartbeat/[token]/route");
    const r = await GET(new Request("http://localhost:3000/api/heartbeat/abcdefghijklmnopqrstuvwxyz012345", { headers: { "x-perigee-client-ip": "198.51.100.200" } }), {
      params: Promise.resolve({ token: "abcdefghijklmnopqrstuvwxyz012345" }),
    });
    expect(r.status).toBe(404);
    const body = await r.json();
    expect(errorShaped(body)).toBe(true);
    expect(body.error.code).toBe("not_found");
  });
});
