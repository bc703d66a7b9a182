/**
 * The machine-readable answers of a public page — Statuspage v2 JSON, feeds, badges — by path
 * under the page (`api/v2/summary.json`, `feed.atom`, `badge.svg?component=…`), rendered from
 * a snapshot and memoised per snapshot object: the renderers are pure, so a warm request for
 * the same snapshot is a map lookup and the bytes (and their ETag) are reused. A new snapshot
 * is a new object, so the old renderings go with it.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { PageSnapshot } from "../snapshot-types";
import { capLabel, flatBadge, statusBadge, type BadgeOptions } from "./badge";
import { atomFeed, rssFeed } from "./feeds";
import { STATUSPAGE_DOCS, statuspageDocument, type StatuspageDoc } from "./statuspage-json";

export type StatusAsset = { kind: "json"; doc: StatuspageDoc } | { kind: "atom" } | { kind: "rss" } | { kind: "badge"; badge: BadgeOptions };

export type RenderedAsset = {
  /** 404 only for a badge of a component that is not on the page. */
  status: 200 | 404;
  body: Buffer;
  contentType: string;
  /** A strong validator of the body. */
  etag: string;
  /** The body gzipped (made once, on first ask) and its validator; null when not worth it. */
  gzip: () => { body: Buffer; etag: string } | null;
};

/** Bodies smaller than this go out as they are (a 20-byte gzip header and a CPU pass buy nothing). */
const GZIP_MIN_BYTES = 1024;

const JSON_PATHS = new Map<string, StatuspageDoc>(STATUSPAGE_DOCS.map((d) => [`api/v2/${d}.json`, d]));
/** Longest `label`/`component` query value read (longer values are cut before use). */
const QUERY_MAX = 200;
/** Badge variants memoised per snapshot (labels are the caller's, so bounded). */
const MAX_MEMO = 256;

/**
 * The asset at `path` (relative to the page: no leading slash), or null when the path is none
 * of ours. Badge query: `component` (id or name), `uptime` (30 or 90; else none), `label`.
 */
export function statusAssetOf(path: string, query: URLSearchParams): StatusAsset | null {
  const doc = JSON_PATHS.get(path);
  if (doc) return { kind: "json", doc };
  if (path === "feed.atom") return { kind: "atom" };
  if (path === "feed.rss") return { kind: "rss" };
  if (path !== "badge.svg") return null;
  const component = query.get("component")?.slice(0, QUERY_MAX);
  const label = query.get("label")?.slice(0, QUERY_MAX);
  const uptime = query.get("uptime");
  return {
    kind: "badge",
    badge: { ...(component ? { component } : {}), ...(label ? { label } : {}), ...(uptime === "30" || uptime === "90" ? { uptime: Number(uptime) as 30 | 90 } : {}) },
  };
}

const keyOf = (a: StatusAsset) => (a.kind === "json" ? `j:${a.doc}` : a.kind === "badge" ? `b:${a.badge.uptime ?? ""}:${a.badge.component ?? ""}\u0000${a.badge.label ?? ""}` : a.kind);

const CONTENT_TYPES = { json: "application/json; charset=utf-8", atom: "application/atom+xml; charset=utf-8", rss: "application/rss+xml; charset=utf-8", badge: "image/svg+xml; charset=utf-8" };

function render(s: PageSnapshot, a: StatusAsset): RenderedAsset {
  let text: string;
  let status: 200 | 404 = 200;
  if (a.kind === "json") text = JSON.stringify(statuspageDocument(s, a.doc));
  else if (a.kind === "atom") text = atomFeed(s);
  else if (a.kind === "rss") text = rssFeed(s);
  else {
    const svg = statusBadge(s, a.badge);
    if (svg === null) status = 404;
    text = svg ?? flatBadge(capLabel(a.badge.label ?? "component"), "not found", "#9f9f9f");
  }
  const body = Buffer.from(text);
  const etag = `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
  let gz: { body: Buffer; etag: string } | null | undefined;
  // A representation of its own, so a validator of its own (RFC 9110 §8.8.3).
  const gzip = () => (gz === undefined ? (gz = body.length < GZIP_MIN_BYTES ? null : { body: gzipSync(body, { level: 6 }), etag: `${etag.slice(0, -1)}-gz"` }) : gz);
  return { status, body, contentType: CONTENT_TYPES[a.kind], etag, gzip };
}

const memo = new WeakMap<PageSnapshot, Map<string, RenderedAsset>>();

export function renderStatusAsset(s: PageSnapshot, a: StatusAsset): RenderedAsset {
  let cache = memo.get(s);
  if (!cache) memo.set(s, (cache = new Map()));
  const key = keyOf(a);
  const hit = cache.get(key);
  if (hit) return hit;
  const out = render(s, a);
  if (cache.size < MAX_MEMO) cache.set(key, out);
  return out;
}
