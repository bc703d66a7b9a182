import { z } from "zod";
import { channelInputSchema, channelViewSchema } from "../validation/channels";
import { monitorInputSchema, monitorViewSchema } from "../monitors/schema";
import { SCOPE_DESCRIPTIONS, SCOPE_NAMES, type Scope } from "./scopes";

/**
 * Response schemas (zod) — the OpenAPI document is generated from these and from the input
 * schemas the services validate with, and the API tests check real answers against them.
 */
const isoTime = z.string().describe("ISO 8601 time");

export const resultSchema = z
  .object({
    at: isoTime,
    region: z.string(),
    outcome: z.enum(["up", "degraded", "down"]),
    errorClass: z.string().nullable(),
    statusCode: z.number().nullable(),
    totalMs: z.number(),
    dnsMs: z.number().nullable(),
    connectMs: z.number().nullable(),
    tlsMs: z.number().nullable(),
    ttfbMs: z.number().nullable(),
  })
  .meta({ id: "CheckResult" });

export const uptimeSchema = z
  .object({
    window: z.enum(["24h", "7d", "30d", "90d"]),
    checks: z.number(),
    successes: z.number(),
    uptimePercent: z.number().nullable(),
    latency: z.object({ avg: z.number().nullable(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  })
  .meta({ id: "Uptime" });

export const eventViewSchema = z
  .object({
    id: z.uuid(),
    monitorId: z.uuid(),
    monitorName: z.string(),
    state: z.enum(["open", "closed"]),
    openedAt: isoTime,
    closedAt: isoTime.nullable(),
    durationSeconds: z.number().nullable(),
    cause: z.object({ errorClass: z.string().nullable(), message: z.string().nullable(), statusCode: z.number().nullable() }),
    regionsDown: z.array(z.string()),
    duringMaintenance: z.boolean(),
  })
  .meta({ id: "Event" });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.array(z.string())).optional().describe("Field → messages, for 400"),
      requestId: z.string(),
    }),
  })
  .meta({ id: "Error" });

/** The channel services' own view schema, named for the document. */
const channelSchema = channelViewSchema.meta({ id: "Channel" });

const page = (item: z.ZodType, id: string) => z.object({ data: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

type Op = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  scope: Scope;
  query?: { name: string; schema: Record<string, unknown>; description: string }[];
  body?: z.ZodType;
  /** PATCH: any subset of the body's fields. */
  partial?: boolean;
  ok: { status: number; schema?: z.ZodType; description: string };
  idempotent?: boolean;
};

const cursorQ = [
  { name: "limit", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 }, description: "Page size" },
  { name: "cursor", schema: { type: "string" }, description: "nextCursor of the previous page" },
];

export const OPERATIONS: Op[] = [
  { method: "get", path: "/monitors", summary: "List monitors", scope: "monitors:read", query: cursorQ, ok: { status: 200, schema: page(monitorViewSchema, "MonitorPage"), description: "A page of monitors" } },
  { method: "post", path: "/monitors", summary: "Create a monitor", scope: "monitors:write", body: monitorInputSchema, ok: { status: 201, schema: monitorViewSchema, description: "The new monitor" }, idempotent: true },
  { method: "get", path: "/monitors/{id}", summary: "Get a monitor", scope: "monitors:read", ok: { status: 200, schema: monitorViewSchema, description: "The monitor" } },
  { method: "patch", path: "/monitors/{id}", summary: "Change a monitor (any subset of fields)", scope: "monitors:write", body: monitorInputSchema, partial: true, ok: { status: 200, schema: monitorViewSchema, description: "The monitor after the change" } },
  { method: "delete", path: "/monitors/{id}", summary: "Delete a monitor", scope: "monitors:write", ok: { status: 204, description: "Deleted" } },
  { method: "post", path: "/monitors/{id}/pause", summary: "Pause a monitor", scope: "monitors:write", ok: { status: 200, schema: monitorViewSchema, description: "The paused monitor" }, idempotent: true },
  { method: "post", path: "/monitors/{id}/resume", summary: "Resume a monitor", scope: "monitors:write", ok: { status: 200, schema: monitorViewSchema, description: "The resumed monitor" }, idempotent: true },
  {
    method: "get",
    path: "/monitors/{id}/results",
    summary: "Raw check results, newest first",
    scope: "monitors:read",
    query: [
      { name: "from", schema: { type: "string", format: "date-time" }, description: "Inclusive lower bound" },
      { name: "to", schema: { type: "string", format: "date-time" }, description: "Exclusive upper bound" },
      { name: "limit", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 }, description: "Page size" },
      cursorQ[1]!,
    ],
    ok: { status: 200, schema: page(resultSchema, "CheckResultPage"), description: "A page of results" },
  },
  {
    method: "get",
    path: "/monitors/{id}/uptime",
    summary: "Uptime % and latency percentiles for a window (from rollups)",
    scope: "monitors:read",
    query: [{ name: "window", schema: { type: "string", enum: ["24h", "7d", "30d", "90d"], default: "24h" }, description: "Window" }],
    ok: { status: 200, schema: uptimeSchema, description: "Uptime" },
  },
  {
    method: "get",
    path: "/events",
    summary: "List incidents (downtime events), newest first",
    scope: "events:read",
    query: [
      { name: "monitorId", schema: { type: "string", format: "uuid" }, description: "Only this monitor's" },
      { name: "state", schema: { type: "string", enum: ["open", "closed"] }, description: "Open or closed" },
      { name: "from", schema: { type: "string", format: "date-time" }, description: "Opened at or after" },
      { name: "to", schema: { type: "string", format: "date-time" }, description: "Opened before" },
      ...cursorQ,
    ],
    ok: { status: 200, schema: page(eventViewSchema, "EventPage"), description: "A page of events" },
  },
  { method: "get", path: "/events/{id}", summary: "Get an incident", scope: "events:read", ok: { status: 200, schema: eventViewSchema, description: "The event" } },
  { method: "get", path: "/channels", summary: "List notification channels (secrets masked)", scope: "channels:read", query: cursorQ, ok: { status: 200, schema: page(channelSchema, "ChannelPage"), description: "A page of channels" } },
  { method: "post", path: "/channels", summary: "Create a channel (a webhook's signingSecret is in this answer only)", scope: "channels:write", body: channelInputSchema, ok: { status: 201, schema: channelSchema, description: "The new channel" }, idempotent: true },
  { method: "get", path: "/channels/{id}", summary: "Get a channel", scope: "channels:read", ok: { status: 200, schema: channelSchema, description: "The channel" } },
  { method: "patch", path: "/channels/{id}", summary: "Change a channel (masked or empty secrets keep the stored value)", scope: "channels:write", body: channelInputSchema, partial: true, ok: { status: 200, schema: channelSchema, description: "The channel after the change" } },
  { method: "delete", path: "/channels/{id}", summary: "Delete a channel", scope: "channels:write", ok: { status: 204, description: "Deleted" } },
  { method: "get", path: "/account/export", summary: "Export the organization's data (not available yet: 501)", scope: "account:export", ok: { status: 501, schema: errorSchema, description: "Not implemented yet" } },
];

const ERRORS: Record<number, string> = {
  400: "Invalid input; `details` names each field",
  401: "Missing, malformed, unknown, revoked or expired key",
  403: "The key lacks the scope",
  404: "No such resource (or another organization's)",
  409: "Conflict (e.g. the same Idempotency-Key still running)",
  413: "The request body is larger than 256 KiB",
  422: "Refused by a rule (limits; Idempotency-Key reused for another request)",
  429: "Rate limited; see Retry-After",
};

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

function errorHeaders(code: number): string[] {
  if (code === 401) return ["X-Request-Id"];
  if (code === 429 || code === 409) return [...RATE_HEADERS, "Retry-After"];
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

let cached: Record<string, unknown> | undefined;

/** OpenAPI 3.1 for /api/v1, built from the same zod schemas the services validate with. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  if (cached && (cached.servers as { url: string }[])[0]!.url === `${serverUrl}/api/v1`) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, Json> = {};
  hoisted(schemaOf(errorSchema, "output"), schemas);
  for (const op of OPERATIONS) {
    const params: unknown[] = [];
    if (op.path.includes("{id}")) params.push({ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } });
    for (const q of op.query ?? []) params.push({ name: q.name, in: "query", required: false, schema: q.schema, description: q.description });
    if (op.idempotent) params.push({ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 255 }, description: "Replays the first answer for 24 h" });
    const okHeaders = [...RATE_HEADERS, ...(op.idempotent ? ["Idempotent-Replayed"] : []), ...(op.ok.status === 201 ? ["Location"] : [])];
    const responses: Record<string, unknown> = {
      [String(op.ok.status)]: { description: op.ok.description, headers: headerRefs(okHeaders), ...(op.ok.schema ? { content: { "application/json": { schema: hoisted(schemaOf(op.ok.schema, "output"), schemas) } } } : {}) },
    };
    for (const [code, description] of Object.entries(ERRORS)) {
      if (code === "404" && !op.path.includes("{id}")) continue;
      if (code === "400" && !op.body && !op.query && !op.idempotent) continue;
      if (code === "413" && !op.body) continue;
      if (code === "409" && !op.idempotent) continue;
      if (code === "422" && !op.body && !op.idempotent) continue;
      responses[code] = { description, headers: headerRefs(errorHeaders(Number(code))), content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/\{id\}/g, "ById").replace(/\/(\w)/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z]/g, "")}`,
      security: [{ apiKey: [op.scope] }],
      "x-required-scope": op.scope,
      parameters: params,
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: hoisted(op.partial ? withoutRequired(schemaOf(op.body, "input")) : schemaOf(op.body, "input"), schemas) } } } } : {}),
      responses,
    };
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Perigee API",
      version: "1",
      description:
        "Everything the dashboard does with monitors, events and channels. Authenticate with `Authorization: Bearer pk_live_…` (Settings → API keys). " +
        "Lists use cursor pagination (`data`, `nextCursor`); errors have one shape; POST accepts `Idempotency-Key`; each key is rate limited (RateLimit-* headers).",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", bearerFormat: "pk_live_…", description: `Scopes: ${SCOPE_NAMES.map((s) => `${s} (${SCOPE_DESCRIPTIONS[s]})`).join("; ")}` } },
      schemas,
      headers: Object.fromEntries(Object.entries(HEADERS).map(([n, h]) => [n, { description: h.description, schema: h.schema }])),
    },
    paths,
  };
  return cached;
}
