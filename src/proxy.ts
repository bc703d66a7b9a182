import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/server/env";
import { customDomainTarget, hostName, isAppHost } from "@/server/status/domains";
import { requestIdOf } from "@/web/request-id";
import { STATUS_DOMAIN_HEADER } from "@/web/status-access";

/** The status pages' HTML views answer with their own script-free CSP (src/web/status-pages.ts). */
const STATUS_HTML = /^\/status\/[^/]+(?:\/history|\/incidents\/[^/]+)?\/?$/;

/**
 * Per-request CSP with a nonce: Next.js streams inline bootstrap scripts, so a static
 * `script-src 'self'` would block them and 'unsafe-inline' would defeat the policy.
 * Next reads the nonce for its own scripts from the request-side CSP header.
 */
export async function proxy(request: NextRequest) {
  // A status page's custom domain serves that page's paths only (rewritten under /status/{slug}).
  const host = hostName(request.headers.get("host"));
  if (host && !isAppHost(host)) {
    const target = await customDomainTarget(host);
    if (target === "not_found" || target === "unavailable")
      return new NextResponse(target === "not_found" ? "Not found" : "Temporarily unavailable", {
        status: target === "not_found" ? 404 : 503,
        headers: { "content-type": "text/plain", "cache-control": "no-store" },
      });
    if (target) {
      if (/\/\.\.?(?:\/|$)|%2e|%2f|\/\//i.test(request.nextUrl.pathname)) return new NextResponse("Not found", { status: 404, headers: { "content-type": "text/plain" } });
      const url = request.nextUrl.clone();
      url.pathname = `/status/${target.slug}${request.nextUrl.pathname === "/" ? "" : request.nextUrl.pathname}`;
      const headers = new Headers(request.headers);
      headers.set(STATUS_DOMAIN_HEADER, host);
      headers.set("x-request-id", requestIdOf(headers.get("x-request-id")));
      return NextResponse.rewrite(url, { request: { headers } });
    }
  }
  if (STATUS_HTML.test(request.nextUrl.pathname)) {
    const headers = new Headers(request.headers);
    headers.delete(STATUS_DOMAIN_HEADER);
    return NextResponse.next({ request: { headers } });
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = env().NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (charts, widths) are allowed; scripts are what CSP guards here.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  // Only the rewrite above may say a request came through a custom domain.
  requestHeaders.delete(STATUS_DOMAIN_HEADER);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-request-id", requestIdOf(requestHeaders.get("x-request-id")));

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("x-request-id", requestHeaders.get("x-request-id")!);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
