import type { z } from "zod";
import { SCOPE_NAMES, type Scope } from "../../src/server/auth/scopes";
import { errorSchema } from "../../src/server/api/views";
import { pool } from "../../src/server/db/client";
import { createApiKey } from "../../src/server/services/api-keys/create";
import { apiOperations, apiRoutes } from "../../src/web/api-routes";
import { createTenant } from "./factories";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

/** Every /api/v1 route, from the route modules' own declarations (the handlers Next.js would call). */
export const ROUTES = apiRoutes();
/** Every declared operation. */
export const OPERATIONS = apiOperations();

export type ApiAnswer = { status: number; headers: Headers; body: unknown; text: string };

/**
 * Calls a route handler with a real Request, exactly as Next.js would (same module, same
 * params promise), against the real database and Redis. Every answer is checked against the
 * operation's declaration: a success against its declared response schema and an error
 * against the error schema, both strict — so a field a view gains without its schema fails
 * whichever test met it.
 */
export async function api(
  method: string,
  pathAndQuery: string,
  opts: { key?: string | null; body?: unknown; rawBody?: string | Uint8Array<ArrayBuffer>; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const path = pathAndQuery.split("?")[0]!;
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (!m) continue;
    const handler = r.handlers[method] as Handler | undefined;
    if (!handler) return { status: 405, headers: new Headers(), body: null, text: "" };
    const headers: Record<string, string> = { "user-agent": "vitest", "x-perigee-client-ip": "198.51.100.9", ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    const raw = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    // A Uint8Array body gets no implicit Content-Type (a string body would be text/plain).
    const body: Uint8Array<ArrayBuffer> | undefined = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
    const type = opts.contentType === undefined ? (body !== undefined ? "application/json" : undefined) : opts.contentType;
    if (type) headers["content-type"] = type;
    const names = [...r.pattern.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!);
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    const res = await handler(new Request(`http://localhost:3000${pathAndQuery}`, { method, headers, body }), { params: Promise.resolve(params) });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    const op = OPERATIONS.find((o) => o.path === r.pattern && o.method === method);
    if (op) conforms(`${method} ${op.path} → ${res.status}`, res.status === op.response.status ? op.response.schema : res.status >= 400 ? errorSchema : undefined, parsed);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
  throw new Error(`no route for ${path}`);
}

function conforms(what: string, schema: z.ZodType | undefined, body: unknown) {
  if (!schema) return;
  const r = schema.safeParse(body);
  if (!r.success) throw new Error(`${what}: the answer does not match its declared schema: ${JSON.stringify(r.error.issues.slice(0, 5))}`);
}

/** A tenant whose ADMIN creates keys (only ADMINs can); `key()` holds every scope unless told otherwise. */
export async function apiTenant(name = "API Tenant") {
  const t = await createTenant(name);
  const key = async (scopes: Scope[] = SCOPE_NAMES, extra: { expiresAt?: Date } = {}) => await createApiKey({ ctx: t.ctx.ADMIN, input: { name: "test key", scopes, ...extra } });
  return { ...t, key };
}

export const errorShaped = (b: unknown) => errorSchema.safeParse(b).success;

/** Runs `fn` and counts the database queries it made (through the shared pool). */
export async function countingQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const p = pool();
  const original = p.query.bind(p);
  let queries = 0;
  (p as unknown as { query: unknown }).query = (...args: unknown[]) => {
    queries++;
    return (original as (...a: unknown[]) => unknown)(...args);
  };
  try {
    return { result: await fn(), queries };
  } finally {
    (p as unknown as { query: unknown }).query = original;
  }
}
