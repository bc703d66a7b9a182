import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const APP = path.resolve(import.meta.dirname, "../../src/app");

type Found = { file: string; params: Record<string, string | string[]> };

/** Next's file-system routing, for route handlers only: literal segments first, then [param], then [...catchAll]. */
function match(dir: string, segs: string[], params: Found["params"]): Found | null {
  if (segs.length === 0) {
    const f = path.join(dir, "route.ts");
    return existsSync(f) ? { file: f, params } : null;
  }
  const [head, ...rest] = segs as [string, ...string[]];
  const dirs = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  if (dirs.some((d) => d.name === head)) {
    const r = match(path.join(dir, head), rest, params);
    if (r) return r;
  }
  for (const d of dirs) {
    const m = /^\[([^.\]]+)\]$/.exec(d.name);
    const r = m ? match(path.join(dir, d.name), rest, { ...params, [m[1]!]: head }) : null;
    if (r) return r;
  }
  for (const d of dirs) {
    const m = /^\[\.\.\.([^\]]+)\]$/.exec(d.name);
    const f = path.join(dir, d.name, "route.ts");
    if (m && existsSync(f)) return { file: f, params: { ...params, [m[1]!]: segs } };
  }
  return null;
}

/**
 * Calls the app's route handler for a path the way Next would route it (no server): a path
 * with no route file answers 404, a method the file does not export 405. Lets a test sweep
 * paths other branches add without naming their files.
 */
export async function callRoute(method: string, pathAndQuery: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Response> {
  const url = new URL(pathAndQuery, "http://localhost:3000");
  const found = match(
    APP,
    url.pathname
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s)),
    {},
  );
  if (!found) return new Response("route not found", { status: 404 });
  const mod = (await import(found.file)) as Record<string, unknown>;
  const handler = mod[method] as ((req: Request, ctx: { params: Promise<Found["params"]> }) => Promise<Response>) | undefined;
  if (!handler) return new Response(null, { status: 405 });
  return handler(new Request(url, { method, headers: { "x-perigee-client-ip": "203.0.113.9", ...init.headers }, body: init.body }), { params: Promise.resolve(found.params) });
}
