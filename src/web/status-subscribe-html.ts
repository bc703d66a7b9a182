import { isDomainError, RateLimited } from "@/server/errors";
import { log } from "@/server/log";

/**
 * The small pages of the subscription flow (check your inbox, confirmed, unsubscribe):
 * server-rendered HTML with every value escaped, no script, a CSP of their own, never cached,
 * and no Referer (their URLs carry tokens).
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-robots-tag": "noindex",
};

export type NoticePage = {
  title: string;
  message: string;
  /** A link back to the status page. */
  back?: string;
  /** A single-button POST form (the unsubscribe confirmation). */
  form?: { action: string; button: string; fields: Record<string, string> };
};

export function htmlPage(p: NoticePage, status = 200, extra: Record<string, string> = {}): Response {
  const form = p.form
    ? `<form method="post" action="${esc(p.form.action)}">${Object.entries(p.form.fields)
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
        .join("")}<button type="submit">${esc(p.form.button)}</button></form>`
    : "";
  const back = p.back ? `<p><a href="${esc(p.back)}">Back to the status page</a></p>` : "";
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(p.title)}</title>
<style>body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;padding:24px;color:#14171f;background:#f7f8fa}main{max-width:480px;margin:10vh auto;background:#fff;border:1px solid #e3e6ec;border-radius:10px;padding:24px}h1{font-size:1.25rem;margin:0 0 12px}button{font:inherit;background:#3b5bdb;color:#fff;border:0;border-radius:8px;padding:10px 16px;cursor:pointer}a{color:#3b5bdb}@media (prefers-color-scheme:dark){body{background:#0f1115;color:#e6e8ee}main{background:#171a21;border-color:#2a2f3a}a{color:#8da2fb}}</style></head>
<body><main><h1>${esc(p.title)}</h1><p>${esc(p.message)}</p>${form}${back}</main></body></html>`;
  return new Response(body, { status, headers: { ...HEADERS, ...extra } });
}

/** A service error as one of these pages (a 429 keeps its Retry-After); anything unknown is logged, never shown. */
export function htmlError(e: unknown, back?: string): Response {
  if (e instanceof RateLimited) return htmlPage({ title: "Too many requests", message: e.message, back }, 429, { "retry-after": String(e.retryAfterSeconds) });
  if (isDomainError(e)) return htmlPage({ title: e.status === 404 ? "Not found" : "That did not work", message: e.message, back }, e.status);
  log.error("status subscription request failed", { err: e });
  return htmlPage({ title: "Something went wrong", message: "Please try again in a moment.", back }, 500);
}
