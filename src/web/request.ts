import { headers } from "next/headers";
import type { RequestMeta } from "@/server/context";
import { metaFromHeaders } from "./request-meta";

export { metaFromHeaders };
import { env } from "@/server/env";

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
