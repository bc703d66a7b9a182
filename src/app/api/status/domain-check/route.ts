import { hostName } from "@/server/status/hosts";
import { pageByDomain } from "@/server/status/cache";

export const dynamic = "force-dynamic";

/**
 * The reverse proxy's on-demand TLS asks here before getting a certificate for a host
 * (Caddy: `on_demand_tls { ask http://127.0.0.1:3000/api/status/domain-check }`, which adds
 * ?domain=). 200 only for a status page's verified custom domain; anything else 404, so no
 * certificate is issued for names that merely point at this server.
 */
export async function GET(req: Request) {
  const domain = hostName(new URL(req.url).searchParams.get("domain"));
  const page = domain ? await pageByDomain(domain).catch(() => null) : null;
  const ok = !!page && page.entry.gate.domainVerified === true;
  return new Response(ok ? "ok" : "not found", { status: ok ? 200 : 404, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}
