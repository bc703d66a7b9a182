import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/server/env";
import { hostName, isAppHost, STATUS_DOMAIN_HEADER } from "@/server/status/hosts";
import { requestIdOf } from "@/web/request-id";

/**
 * Everything under /status/ is a route handler answering with its own script-free CSP (HTML
 * views, subscribe pages, feeds, badges, Statuspage JSON): the app's nonce CSP would override it.
 */
const STATUS_PATHS = /^\/status\//;

/**
 * Per-request CSP with a nonce: Next.js streams inline bootstrap scripts, so a static
 * `script-src 'self'` would block them and 'unsafe-inline' would defeat the policy.
 * Next reads the nonce for its own scripts from the request-side CSP header.
 */
export function proxy(request: NextRequest) {
  // The web server rewrote custom-domain requests (src/web/custom-domain.ts) and set the
  // domain header; it is kept only when it names the request's own Host, which is not the app's.
  const host = hostName(request.headers.get("host"));
  const claimed = request.headers.get(STATUS_DOMAIN_HEADER);
  const domain = claimed && host && claimed === host && !isAppHost(host) ? claimed : null;
  if (STATUS_PATHS.test(request.nextUrl.pathname)) {
    if (domain || !claimed) return NextResponse.next();
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
    // Billing's Upgrade / Manage forms redirect to Stripe's hosted pages (without JavaScript the
    // browser checks the redirect against form-action).
    "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  if (!domain) requestHeaders.delete(STATUS_DOMAIN_HEADER);
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
