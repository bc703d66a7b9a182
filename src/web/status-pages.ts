/**
 * The public status pages' HTTP answers (route handlers under src/app/status/[slug] call
 * these): the HTML string rendered from the cached snapshot — rendered once per snapshot and
 * view, so a warm request does no database query and no templating — with a strict CSP of
 * its own (no scripts at all), and the private page's password form and its POST.
 */
import { gzipSync } from "node:zlib";
import { RateLimited } from "@/server/errors";
import { env } from "@/server/env";
import { renderBare, renderHistory, renderHome, renderIncident, renderMissing, renderPasswordForm, type RenderOpts } from "@/server/status/html/pages";
import { checkPagePassword, PAGE_COOKIE, PAGE_COOKIE_TTL_SECONDS, pageCookieValue } from "@/server/status/page-access";
import type { SnapshotEntry } from "@/server/status/snapshot-types";
import { STATUS_DOMAIN_HEADER } from "@/server/status/hosts";
import { metaFromHeaders } from "./request-meta";
import { pageBasePath, pageSelector, resolvePublicPage } from "./status-access";

/** No scripts, no frames, forms only to this origin. src/proxy.ts leaves these paths to it. */
export const STATUS_CSP = "default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
export const PUBLIC_CACHE = "public, max-age=10, stale-while-revalidate=30";
export const PRIVATE_CACHE = "private, no-store";

export type StatusView = { kind: "home" } | { kind: "history" } | { kind: "incident"; id: string };

/** A rendered view and, once asked for, its gzip (compressed once per snapshot, not per request). */
type Rendered = { html: string; etag: string; gz?: Uint8Array<ArrayBuffer> };
const rendered = new Map<string, Rendered | null>();
const MAX_RENDERED = 2000;

function renderOnce(entry: SnapshotEntry, view: StatusView, o: RenderOpts): Rendered | null {
  const s = entry.snapshot;
  const key = `${s.page.id}|${s.builtAt}|${view.kind}|${view.kind === "incident" ? view.id : ""}|${o.base}|${o.stale ? 1 : 0}`;
  if (rendered.has(key)) return rendered.get(key)!;
  const html = view.kind === "home" ? renderHome(s, o) : view.kind === "history" ? renderHistory(s, o) : renderIncident(s, o, view.id);
  if (rendered.size >= MAX_RENDERED) rendered.clear();
  const r = html === null ? null : { html, etag: `W/"${Buffer.from(key).toString("base64url")}"` };
  rendered.set(key, r);
  return r;
}

function htmlResponse(body: string | Uint8Array<ArrayBuffer>, status: number, cache: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": STATUS_CSP,
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
      "permissions-policy": "camera=(), microphone=(), geolocation=()",
      ...(env().NODE_ENV === "production" ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
      "cache-control": cache,
      ...extra,
    },
  });
}

/** GET of a public page's HTML view. */
export async function serveStatusHtml(req: Request, slug: string, view: StatusView): Promise<Response> {
  const access = await resolvePublicPage(req, pageSelector(req, slug));
  const base = pageBasePath(req, slug);
  if (!access.ok) {
    if (access.status === 401) return htmlResponse(renderPasswordForm(access.entry.snapshot, { base, stale: false }, null), 401, PRIVATE_CACHE);
    return htmlResponse(renderBare(access.status), access.status, access.status === 404 ? PRIVATE_CACHE : "no-store");
  }
  const isPublic = access.entry.gate.access === "public";
  const cache = isPublic ? PUBLIC_CACHE : PRIVATE_CACHE;
  const o = { base, stale: access.stale };
  const r = renderOnce(access.entry, view, o);
  if (r === null) return htmlResponse(renderMissing(access.entry.snapshot, o), 404, cache);
  const extra = { "x-status-snapshot-age": String(access.ageSeconds), etag: r.etag, vary: "accept-encoding" };
  if (isPublic && req.headers.get("if-none-match") === r.etag) return new Response(null, { status: 304, headers: { "cache-control": cache, ...extra } });
  // Pre-compressed: Next's compression leaves a response that already has a Content-Encoding alone.
  if (/\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) {
    r.gz ??= new Uint8Array(gzipSync(r.html));
    return htmlResponse(r.gz, 200, cache, { ...extra, "content-encoding": "gzip" });
  }
  return htmlResponse(r.html, 200, cache, extra);
}

function cookieHeader(req: Request, slug: string, value: string): string {
  const onDomain = !!req.headers.get(STATUS_DOMAIN_HEADER);
  const secure = env().APP_URL.startsWith("https:") || (onDomain && env().NODE_ENV === "production");
  return `${PAGE_COOKIE}=${value}; Path=${onDomain ? "/" : `/status/${slug}`}; Max-Age=${PAGE_COOKIE_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** POST of the password form: a signed page cookie and back to the page, or the form again (401, 429). */
export async function submitPagePassword(req: Request, slug: string): Promise<Response> {
  const access = await resolvePublicPage(req, pageSelector(req, slug));
  const base = pageBasePath(req, slug);
  if (access.ok) return new Response(null, { status: 303, headers: { location: base || "/", "cache-control": PRIVATE_CACHE } });
  if (access.status !== 401) return htmlResponse(renderBare(access.status), access.status, PRIVATE_CACHE);
  const snap = access.entry.snapshot;
  const form = await req.formData().catch(() => null);
  const password = form?.get("password");
  try {
    const ok =
      typeof password === "string" && (await checkPagePassword({ pageId: snap.page.id, passwordHash: access.entry.gate.passwordHash, password, ip: metaFromHeaders(req.headers).ip ?? "unknown" }));
    if (!ok) return htmlResponse(renderPasswordForm(snap, { base, stale: false }, "wrong"), 401, PRIVATE_CACHE);
  } catch (err) {
    if (err instanceof RateLimited) return htmlResponse(renderPasswordForm(snap, { base, stale: false }, "throttled"), 429, PRIVATE_CACHE, { "retry-after": String(err.retryAfterSeconds) });
    throw err;
  }
  return new Response(null, {
    status: 303,
    headers: { location: base || "/", "set-cookie": cookieHeader(req, slug, pageCookieValue(snap.page.id, access.entry.gate.passwordHash!)), "cache-control": PRIVATE_CACHE },
  });
}
