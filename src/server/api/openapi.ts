import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../errors";
import { acceptsBody, errorCodesOf, type OperationDecl } from "./operation";
import { SCOPE_DESCRIPTIONS, SCOPE_NAMES } from "../auth/scopes";
import { errorSchema } from "./views";

/**
 * The OpenAPI 3.1 document for /api/v1, built from the operations the route files declare
 * (passed in: src/server never imports the web layer) and the zod schemas they name.
 */

/** Headers every authenticated answer carries (401s carry only X-Request-Id). */
const HEADERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  "X-Request-Id": { description: "This request's id; quote it when reporting a problem", schema: { type: "string" } },
  "RateLimit-Limit": { description: "Requests this key may make per window", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets", schema: { type: "integer" } },
  "RateLimit-Policy": { description: "The limit and its window, e.g. `600;w=60`", schema: { type: "string" } },
  "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } },
  "Idempotent-Replayed": { description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key", schema: { type: "string", enum: ["true"] } },
  Location: { description: "The new resource's URL", schema: { type: "string" } },
};
const RATE_HEADERS = ["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"];
const headerRefs = (names: string[]) => Object.fromEntries(names.map((n) => [n, { $ref: `#/components/headers/${n}` }]));

function errorHeaders(status: number): string[] {
  if (status === 401) return ["X-Request-Id"];
  if (status === 429 || status === 409) return [...RATE_HEADERS, "Retry-After"];
  return RATE_HEADERS;
}

type Json = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: "input" | "output") {
  return z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }) as Json;
}

const DEFS_REF = "#/$defs/";
const COMPONENT_REF = "#/components/schemas/";

function pointRefsAtComponents(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pointRefsAtComponents);
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === "$ref" && typeof x === "string" && x.startsWith(DEFS_REF) ? COMPONENT_REF + x.slice(DEFS_REF.length) : pointRefsAtComponents(x)]),
  );
}

/**
 * zod puts schemas named with `.meta({ id })` in the converted schema's own `$defs` and points
 * at them with `#/$defs/…`; inside an OpenAPI document `#` is the document, so those refs would
 * dangle. Named schemas move to `components.schemas` (one definition each) and refs follow.
 */
function hoisted(schema: Json, components: Record<string, Json>): Json {
  const { $defs, $schema: _dialect, ...rest } = schema;
  for (const [name, def] of Object.entries(($defs as Record<string, Json> | undefined) ?? {})) {
    const fixed = pointRefsAtComponents(def) as Json;
    if (components[name] && JSON.stringify(components[name]) !== JSON.stringify(fixed)) throw new Error(`Two different OpenAPI schemas are named ${name}`);
    components[name] = fixed;
  }
  return pointRefsAtComponents(rest) as Json;
}

/** Drops `required` everywhere (PATCH bodies), keeping the discriminator `type` of unions. */
function withoutRequired(schema: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== "object") return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    if (Array.isArray(o.required)) delete o.required;
    return o;
  };
  return walk(schema) as Record<string, unknown>;
}

const API_PREFIX = "/api/v1";

function operationId(method: string, path: string): string {
  return `${method}${path
    .replace(/\{id\}/g, "ById")
    .replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z]/g, "")}`;
}

/** Query parameters from the operation's zod object; each parameter's `meta` carries its format. */
function queryParameters(op: OperationDecl): unknown[] {
  return Object.entries(op.query?.shape ?? {}).map(([name, s]) => {
    const { description, $schema: _dialect, ...schema } = schemaOf(s as z.ZodType, "input");
    return { name, in: "query", required: false, schema, ...(description ? { description } : {}) };
  });
}

function errorResponses(op: OperationDecl): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        String(status),
        {
          description: codes.map((c) => `\`${c}\`: ${ERROR_CODES[c].summary}`).join("; "),
          "x-error-codes": codes,
          headers: headerRefs(errorHeaders(status)),
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      ]),
  );
}

const cache = new WeakMap<readonly OperationDecl[], Map<string, Record<string, unknown>>>();

/** OpenAPI 3.1 for /api/v1 from the declared operations (the same zod schemas the services validate with). */
export function openApiDocument(serverUrl: string, operations: readonly OperationDecl[]): Record<string, unknown> {
  const byUrl = cache.get(operations) ?? cache.set(operations, new Map()).get(operations)!;
  const hit = byUrl.get(serverUrl);
  if (hit) return hit;
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, Json> = {};
  hoisted(schemaOf(errorSchema, "output"), schemas);
  for (const op of operations) {
    if (!op.path.startsWith(`${API_PREFIX}/`)) throw new Error(`${op.path} is not under ${API_PREFIX}`);
    const path = op.path.slice(API_PREFIX.length);
    const method = op.method.toLowerCase();
    const params: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
      ...(op.params?.[name!] ? { description: op.params[name!] } : {}),
    }));
    params.push(...queryParameters(op));
    const idempotent = op.method === "POST";
    if (idempotent) params.push({ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 }, description: "Replays the first answer for 24 h" });
    const okHeaders = [...RATE_HEADERS, ...(idempotent ? ["Idempotent-Replayed"] : []), ...(op.response.status === 201 ? ["Location"] : [])];
    const ok = op.response;
    const body = op.body && acceptsBody(op.method) ? schemaOf(op.body, "input") : null;
    (paths[path] ??= {})[method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: operationId(method, path),
      security: [{ apiKey: [op.scope] }],
      "x-required-scope": op.scope,
      parameters: params,
      ...(body ? { requestBody: { required: true, content: { "application/json": { schema: hoisted(op.method === "PATCH" ? withoutRequired(body) : body, schemas) } } } } : {}),
      responses: {
        [String(ok.status)]: {
          description: ok.description,
          headers: headerRefs(okHeaders),
          ...(ok.schema ? { content: { "application/json": { schema: hoisted(schemaOf(ok.schema, "output"), schemas) } } } : {}),
        },
        ...errorResponses(op),
      },
    };
  }
  const doc = {
    openapi: "3.1.0",
    info: {
      title: "Perigee API",
      version: "1",
      description:
        "Everything the dashboard does with monitors, events and channels. Authenticate with `Authorization: Bearer pk_live_…` (Settings → API keys). " +
        "Lists use cursor pagination (`data`, `nextCursor`); errors have one shape, with a `docs` link to the code's entry; request bodies are JSON (`Content-Type: application/json`); " +
        "unknown query parameters are refused; POST accepts `Idempotency-Key`; each key is rate limited (RateLimit-* headers).",
    },
    servers: [{ url: `${serverUrl}${API_PREFIX}` }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", bearerFormat: "pk_live_…", description: `Scopes: ${SCOPE_NAMES.map((s) => `${s} (${SCOPE_DESCRIPTIONS[s]})`).join("; ")}` } },
      schemas,
      headers: Object.fromEntries(Object.entries(HEADERS).map(([n, h]) => [n, { description: h.description, schema: h.schema }])),
    },
    paths,
  };
  byUrl.set(serverUrl, doc);
  return doc;
}
