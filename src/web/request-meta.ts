import { randomUUID } from "node:crypto";
import type { RequestMeta } from "@/server/context";
import { env } from "@/server/env";

/** Request metadata from headers alone (no Next.js imports: the API dispatcher uses it too). */
function clientIp(h: Headers): string | null {
  // Behind a proxy the socket address is the proxy's; only trust X-Forwarded-For when told to.
  if (env().TRUST_PROXY) {
    const xff = h.get("x-forwarded-for");
    if (xff) return xff.split(",")[0]!.trim();
    const real = h.get("x-real-ip");
    if (real) return real.trim();
  }
  return h.get("x-perigee-client-ip") ?? "local";
}

/** A caller-supplied request id is kept only if it is short and plain (it goes into logs). */
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The request id rule: the caller's X-Request-Id when it is plain, else a fresh one. */
export function requestIdOf(given: string | null | undefined): string {
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

export function metaFromHeaders(h: Headers): RequestMeta & { requestId: string } {
  return { ip: clientIp(h), userAgent: h.get("user-agent"), requestId: requestIdOf(h.get("x-request-id")) };
}
