import { parseResolver } from "../checks/executors/dns";
import { assertPublicTarget } from "../checks/ssrf";
import { env } from "../env";
import type { MonitorData } from "../validation/monitors";

/** Create/update-time SSRF check of literal targets; names are checked again after DNS at connect time. */
export function assertTargetsAllowed(d: MonitorData): void {
  const allowPrivate = env().ALLOW_PRIVATE_TARGETS;
  if (d.type === "http" && d.url) assertPublicTarget(d.url, allowPrivate, "url");
  if ((d.type === "tcp" || d.type === "ssl") && d.host) assertPublicTarget(d.host, allowPrivate, "host");
  if (d.type === "dns" && d.resolver) {
    // parseResolver understands "ip", "ip:port", bare IPv6 and "[v6]:port"; validation already refused anything else.
    const parsed = parseResolver(d.resolver);
    if (parsed) assertPublicTarget(parsed.ip, allowPrivate, "resolver");
  }
}
