import type { RequestMeta } from "@/server/context";
import { env } from "@/server/env";
import { requestIdOf } from "./request-id";

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

export function metaFromHeaders(h: Headers): RequestMeta & { requestId: string } {
  return { ip: clientIp(h), userAgent: h.get("user-agent"), requestId: requestIdOf(h.get("x-request-id")) };
}
