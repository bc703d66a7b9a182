import { SCOPE_NAMES, type Scope } from "../../src/server/auth/scopes";
import { createApiKey } from "../../src/server/services/api-keys/create";
import { createTenant } from "./factories";

type Mod = Record<string, ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) | unknown>;

/** Every /api/v1 route: pattern → its route module (the handlers Next.js would call). */
export const ROUTES: { pattern: string; load: () => Promise<Mod> }[] = [
  { pattern: "/api/v1/monitors", load: () => import("../../src/app/api/v1/monitors/route") },
  { pattern: "/api/v1/monitors/{id}", load: () => import("../../src/app/api/v1/monitors/[id]/route") },
  { pattern: "/api/v1/monitors/{id}/pause", load: () => import("../../src/app/api/v1/monitors/[id]/pause/route") },
  { pattern: "/api/v1/monitors/{id}/resume", load: () => import("../../src/app/api/v1/monitors/[id]/resume/route") },
  { pattern: "/api/v1/monitors/{id}/results", load: () => import("../../src/app/api/v1/monitors/[id]/results/route") },
  { pattern: "/api/v1/monitors/{id}/uptime", load: () => import("../../src/app/api/v1/monitors/[id]/uptime/route") },
  { pattern: "/api/v1/events", load: () => import("../../src/app/api/v1/events/route") },
  { pattern: "/api/v1/events/{id}", load: () => import("../../src/app/api/v1/events/[id]/route") },
  { pattern: "/api/v1/channels", load: () => import("../../src/app/api/v1/channels/route") },
  { pattern: "/api/v1/channels/{id}", load: () => import("../../src/app/api/v1/channels/[id]/route") },
  { pattern: "/api/v1/account/export", load: () => import("../../src/app/api/v1/account/export/route") },
];

export type ApiAnswer = { status: number; headers: Headers; body: unknown; text: string };

/**
 * Calls a route handler with a real Request, exactly as Next.js would (same module, same
 * params promise), against the real database and Redis.
 */
export async function api(method: string, pathAndQuery: string, opts: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiAnswer> {
  const path = pathAndQuery.split("?")[0]!;
  for (const r of ROUTES) {
    const re = new RegExp(`^${r.pattern.replace("{id}", "([^/]+)")}$`);
    const m = re.exec(path);
    if (!m) continue;
    const mod = await r.load();
    const handler = mod[method] as ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) | undefined;
    if (!handler) return { status: 405, headers: new Headers(), body: null, text: "" };
    const headers: Record<string, string> = { "user-agent": "vitest", "x-perigee-client-ip": "198.51.100.9", ...opts.headers };
    if (opts.key) headers.authorization = `Bearer ${opts.key}`;
    const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await handler(new Request(`http://localhost:3000${pathAndQuery}`, { method, headers, body }), { params: Promise.resolve<Record<string, string>>(m[1] ? { id: decodeURIComponent(m[1]) } : {}) });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }
  throw new Error(`no route for ${path}`);
}

/** A tenant whose ADMIN creates keys (only ADMINs can); `key()` holds every scope unless told otherwise. */
export async function apiTenant(name = "API Tenant") {
  const t = await createTenant(name);
  const key = async (scopes: Scope[] = SCOPE_NAMES, extra: { expiresAt?: Date } = {}) => (await createApiKey({ ctx: t.ctx.ADMIN, input: { name: "test key", scopes, ...extra } }));
  return { ...t, key };
}

export const errorShaped = (b: unknown) => {
  const e = (b as { error?: Record<string, unknown> })?.error;
  return !!e && typeof e.code === "string" && typeof e.message === "string" && typeof e.requestId === "string";
};
