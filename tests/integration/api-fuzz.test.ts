import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDocument } from "../../src/web/api-doc";
import { api, apiTenant, errorShaped } from "../helpers/api";

// Many requests from one key: a limit this file never reaches (env is read once per test file).
process.env.API_RATE_LIMIT_PER_MINUTE = "100000";

type Json = Record<string, unknown>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let key: string;
let monitorId: string;
let channelId: string;
let pageId: string;
let incidentId: string;
let maintenanceId: string;

beforeAll(async () => {
  t = await apiTenant("Fuzz");
  key = (await t.key()).key;
  monitorId = ((await api("POST", "/api/v1/monitors", { key, body: { name: "F", type: "tcp", host: "127.0.0.1", port: 9, paused: true } })).body as { id: string }).id;
  channelId = ((await api("POST", "/api/v1/channels", { key, body: { name: "F", type: "email", to: "f@example.test" } })).body as { id: string }).id;
  const page = (await api("POST", "/api/v1/status-pages", { key, body: { name: "F", slug: `fuzz-${channelId.slice(0, 8)}`, components: [{ monitorId }] } })).body as { id: string };
  pageId = page.id;
  incidentId = ((await api("POST", `/api/v1/status-pages/${pageId}/incidents`, { key, body: { title: "F", body: "F", publish: false } })).body as { id: string }).id;
  maintenanceId = (
    (await api("POST", `/api/v1/status-pages/${pageId}/maintenances`, { key, body: { title: "F", startsAt: "2099-01-01T00:00:00Z", endsAt: "2099-01-01T01:00:00Z" } })).body as { id: string }
  ).id;
});

/** Values for a JSON-schema node: mostly plausible, sometimes anything at all. */
function arb(schema: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const wild = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 20 }), fc.constant([]), fc.constant({}));
  if (!schema || depth > 3) return wild;
  const alts: fc.Arbitrary<unknown>[] = [];
  if (Array.isArray(schema.oneOf)) alts.push(fc.oneof(...(schema.oneOf as Json[]).map((s) => arb(s, depth + 1))));
  if (Array.isArray(schema.anyOf)) alts.push(fc.oneof(...(schema.anyOf as Json[]).map((s) => arb(s, depth + 1))));
  if (schema.const !== undefined) alts.push(fc.constant(schema.const));
  if (Array.isArray(schema.enum)) alts.push(fc.constantFrom(...(schema.enum as unknown[])));
  switch (schema.type) {
    case "string":
      alts.push(
        fc.oneof(
          fc.string({ maxLength: (schema.maxLength as number | undefined) ?? 40 }),
          fc.constantFrom("", "http://127.0.0.1:9/", "https://example.com", "+14155550123", "a@example.test", "200-299", "💥", "x".repeat(3000)),
        ),
      );
      break;
    case "integer":
    case "number":
      alts.push(
        fc.oneof(
          fc.integer({ min: ((schema.minimum as number | undefined) ?? 0) - 5, max: ((schema.maximum as number | undefined) ?? 1000) + 5 }),
          fc.constantFrom(0, -1, 1e12, 0.5, Number.MAX_SAFE_INTEGER),
        ),
      );
      break;
    case "boolean":
      alts.push(fc.boolean());
      break;
    case "array":
      alts.push(fc.array(arb(schema.items as Json, depth + 1), { maxLength: 4 }));
      break;
    case "object":
      alts.push(objectArb(schema, depth + 1));
      break;
  }
  return alts.length ? fc.oneof({ weight: 4, arbitrary: fc.oneof(...alts) }, { weight: 1, arbitrary: wild }) : wild;
}

function objectArb(schema: Json, depth = 0): fc.Arbitrary<Json> {
  const props = (schema.properties as Record<string, Json> | undefined) ?? {};
  const entries = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arb(v, depth)]));
  return fc.record(entries, { requiredKeys: [] }) as fc.Arbitrary<Json>;
}

const doc = apiDocument("http://localhost:3000") as {
  paths: Record<
    string,
    Record<
      string,
      { parameters: { name: string; in: string; schema: Json }[]; responses: Record<string, { "x-error-codes"?: string[] }>; requestBody?: { content: { "application/json": { schema: Json } } } }
    >
  >;
};

function expectWellFormed(r: Awaited<ReturnType<typeof api>>, what: string, documented: number[] = []) {
  if (!documented.includes(r.status)) expect(r.status, `${what} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500);
  if (r.status >= 400) expect(errorShaped(r.body), `${what}: ${r.text.slice(0, 300)}`).toBe(true);
}

describe("fuzz, driven by the OpenAPI document: no 5xx, every 4xx in the error shape and documented", () => {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (method === "delete") continue;
      it(`${method.toUpperCase()} ${path}`, async () => {
        const bodySchema = op.requestBody?.content["application/json"].schema;
        const query = op.parameters.filter((p) => p.in === "query");
        const body = bodySchema ? fc.oneof({ weight: 5, arbitrary: bodySchema.oneOf ? arb(bodySchema) : objectArb(bodySchema) }, { weight: 1, arbitrary: fc.anything() }) : fc.constant(undefined);
        const q = fc.record(Object.fromEntries(query.map((p) => [p.name, fc.oneof(arb(p.schema).map(String), fc.string({ maxLength: 12 }))])), { requiredKeys: [] });
        const idArb = fc.constantFrom(path.startsWith("/channels") ? channelId : path.startsWith("/status-pages") ? pageId : monitorId, "not-a-uuid", "00000000-0000-4000-8000-000000000000");
        await fc.assert(
          fc.asyncProperty(body, q, idArb, async (b, params, id) => {
            const qs = new URLSearchParams(params as Record<string, string>).toString();
            // Nested ids are the real ones under the page, so bodies reach the services.
            const nested = path.replace("{incidentId}", incidentId).replace("{maintenanceId}", maintenanceId).replace("{subscriberId}", "00000000-0000-4000-8000-000000000000");
            const url = `/api/v1${nested.replace("{id}", encodeURIComponent(id))}${qs ? `?${qs}` : ""}`;
            const r = await api(method.toUpperCase(), url, { key, body: b });
            // A documented 5xx (the export's 501 until the privacy issue) is an answer, not a crash.
            const what = `${method} ${url} ${JSON.stringify(b)?.slice(0, 200)}`;
            expectWellFormed(
              r,
              what,
              Object.keys(op.responses)
                .map(Number)
                .filter((n) => n >= 500),
            );
            // Every answer is one the document promises for this operation.
            expect(Object.keys(op.responses), `${what} → ${r.status} ${r.text.slice(0, 200)}`).toContain(String(r.status));
            // …and every error code one the operation declares.
            if (r.status >= 400) expect(op.responses[String(r.status)]!["x-error-codes"], `${what} → ${r.text.slice(0, 200)}`).toContain((r.body as { error: { code: string } }).error.code);
          }),
          { numRuns: 80, seed: 20261122 },
        );
      });
    }
  }

  it("garbage bodies and headers on POST", async () => {
    for (const rawBody of ["", "null", "[]", "1", '"x"', "{", "{}".repeat(10), "\u0000"]) {
      expectWellFormed(await api("POST", "/api/v1/monitors", { key, rawBody }), `raw ${JSON.stringify(rawBody)}`);
    }
    expectWellFormed(await api("POST", "/api/v1/monitors", { key, body: {}, headers: { "idempotency-key": "" } }), "empty idempotency key");
    expectWellFormed(await api("POST", "/api/v1/monitors", { key, body: {}, headers: { "idempotency-key": "ä".repeat(300) } }), "non-ASCII idempotency key");
  });
});
