import { headers } from "next/headers";
import { randomUUID } from "node:crypto";
import type { RequestMeta } from "@/server/context";
import { env } from "@/server/env";

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

export function metaFromHeaders(h: Headers): RequestMeta {
  return { ip: clientIp(h), userAgent: h.get("user-agent"), requestId: h.get("x-request-id") ?? randomUUID() };
}

export async function requestMeta(): Promise<RequestMeta> {
  return metaFromHeaders(await headers());
}

/**
 * Cookie-authenticated state changes must come from our own pages. Browsers always send
 * Origin on POST; a missing or foreign one is refused.
 */
export function isSameOrigin(h: Headers): boolean {
  const origin = h.get("origin");
  if (!origin || origin === "null") return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  const host = (env().TRUST_PROXY ? h.get("x-forwarded-host") : null) ?? h.get("host");
  if (host && o.host === host) return true;
  return o.origin === new URL(env().APP_URL).origin;
}
