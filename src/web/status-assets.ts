/**
 * Serving a public page's Statuspage JSON, feeds and badges: the access decision is the
 * snapshot gate's (resolvePublicPage: no database query for public pages on a warm cache), the
 * bytes come memoised from the renderers. One answer builder feeds both the route handlers in
 * src/app/status/[slug] and the web process's fast path (status-dispatch.ts), so they cannot
 * disagree. Private pages answer 401/404 with a fixed body that names nothing, and nothing of
 * a private page is ever cacheable by a shared cache.
 */
import { renderStatusAsset, statusAssetOf, type StatusAsset } from "@/server/status/render/assets";
import { pageSelector, resolvePublicPage, type PublicPageAccess } from "./status-access";

export type AssetAnswer = { status: number; headers: Record<string, string>; body: Buffer | null };

const CORS = { "access-control-allow-origin": "*", "access-control-expose-headers": "etag, x-status-snapshot-age" };
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";
/** An SVG opened directly is a document: it may style itself, never run script or load anything. */
const BADGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";
const REFUSAL: Record<number, string> = { 401: "This status page is private.\n", 404: "Not found.\n", 503: "The status page is temporarily unavailable.\n" };

/** True when the If-None-Match header lists this ETag (weak comparison, as RFC 9110 asks for GET). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/** Whether the client takes gzip (a `gzip` coding not refused with q=0). */
export function acceptsGzip(acceptEncoding: string | null | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    return (coding === "gzip" || coding === "*") && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

/** The full answer for an asset of a page the caller resolved (or was refused). */
export function assetAnswer(access: PublicPageAccess, asset: StatusAsset, req: { method: string; ifNoneMatch: string | null; acceptEncoding?: string | null }): AssetAnswer {
  const badge = asset.kind === "badge";
  const base: Record<string, string> = { "x-content-type-options": "nosniff", "content-security-policy": badge ? BADGE_CSP : JSON_CSP, ...CORS };
  if (!access.ok) {
    return {
      status: access.status,
      headers: { ...base, "content-type": "text/plain; charset=utf-8", "cache-control": "private, no-store", ...(access.status === 503 ? { "retry-after": "10" } : {}) },
      body: req.method === "HEAD" ? null : Buffer.from(REFUSAL[access.status] ?? "Not found.\n"),
    };
  }
  const isPublic = access.entry.gate.access === "public";
  const r = renderStatusAsset(access.entry.snapshot, asset);
  // Memoised like the body: a summary of 50 components is ~20 KB plain, ~2 KB gzipped.
  const gz = acceptsGzip(req.acceptEncoding) ? r.gzip() : null;
  const etag = gz ? gz.etag : r.etag;
  const headers: Record<string, string> = {
    ...base,
    "content-type": r.contentType,
    "cache-control": !isPublic ? "private, no-store" : badge ? "public, max-age=60" : "public, max-age=10, stale-while-revalidate=30",
    etag,
    "x-status-snapshot-age": String(access.ageSeconds),
    vary: isPublic ? "accept-encoding" : "accept-encoding, cookie",
    ...(gz ? { "content-encoding": "gzip" } : {}),
  };
  if (r.status === 200 && matches(req.ifNoneMatch, etag)) {
    delete headers["content-encoding"];
    return { status: 304, headers, body: null };
  }
  return { status: r.status, headers, body: req.method === "HEAD" ? null : gz ? gz.body : r.body };
}

/** The preflight answer (GET only, any origin, no credentials). */
export function preflightAnswer(): AssetAnswer {
  return {
    status: 204,
    headers: { ...CORS, "access-control-allow-methods": "GET, HEAD, OPTIONS", "access-control-allow-headers": "if-none-match, cache-control", "access-control-max-age": "86400" },
    body: null,
  };
}

function toResponse(a: AssetAnswer): Response {
  return new Response(a.body ? new Uint8Array(a.body) : null, { status: a.status, headers: a.headers });
}

type SlugContext = { params: Promise<{ slug: string }> };

/**
 * The route handlers of one asset path under /status/{slug} (`api/v2/summary.json`,
 * `feed.atom`, `badge.svg`, …). On a custom domain the proxy rewrote the request here and
 * named the domain; the page is then found by it.
 */
export function statusAssetRoute(path: string) {
  const GET = async (req: Request, ctx: SlugContext): Promise<Response> => {
    const { slug } = await ctx.params;
    const asset = statusAssetOf(path, new URL(req.url).searchParams);
    if (!asset) throw new Error(`No status asset at ${path}`);
    const access = await resolvePublicPage(req, pageSelector(req, slug));
    return toResponse(assetAnswer(access, asset, { method: req.method, ifNoneMatch: req.headers.get("if-none-match"), acceptEncoding: req.headers.get("accept-encoding") }));
  };
  const OPTIONS = async (): Promise<Response> => toResponse(preflightAnswer());
  return { GET, OPTIONS };
}
