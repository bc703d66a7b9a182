import { Resolver } from "node:dns/promises";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { classifyAddress } from "../ssrf";
import type { DnsConfig, Executor } from "../types";

const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, "");

/** Splits "ip", "ip:port", "[v6]:port" into the form Resolver.setServers accepts. */
function resolverServer(spec: string): { server: string; ip: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (v6) return { server: v6[2] ? `[${v6[1]}]:${v6[2]}` : v6[1]!, ip: v6[1]! };
  if (net.isIPv6(spec)) return { server: spec, ip: spec };
  const [ip, port] = spec.split(":");
  return { server: port ? `${ip}:${port}` : ip!, ip: ip! };
}

async function query(r: Resolver, name: string, type: DnsConfig["recordType"]): Promise<string[]> {
  switch (type) {
    case "A":
      return r.resolve4(name);
    case "AAAA":
      return r.resolve6(name);
    case "CNAME":
      return r.resolveCname(name);
    case "NS":
      return r.resolveNs(name);
    case "MX":
      return (await r.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((m) => `${m.priority} ${m.exchange}`);
    case "TXT":
      return (await r.resolveTxt(name)).map((chunks) => chunks.join(""));
  }
}

function matches(answer: string[], expected: string, type: DnsConfig["recordType"]): boolean {
  if (type === "TXT") return answer.includes(expected.trim());
  if (type === "MX") {
    const e = norm(expected);
    // "10 mx.example.com" must match priority too; "mx.example.com" matches the exchange alone.
    return answer.some((a) => norm(a) === e || norm(a).split(" ")[1] === e);
  }
  if (type === "AAAA") return answer.some((a) => norm(a) === norm(expected) || (net.isIPv6(expected.trim()) && expandsEqual(a, expected.trim())));
  return answer.some((a) => norm(a) === norm(expected));
}

function expandsEqual(a: string, b: string): boolean {
  const full = (ip: string) => new URL(`http://[${ip}]/`).hostname;
  try {
    return full(a) === full(b);
  } catch {
    return false;
  }
}

/** Resolves one record type; every expected value must be in the answer. */
export const dnsExecutor: Executor<DnsConfig> = async (cfg, opts) => {
  const t0 = performance.now();
  const total = () => Math.round(performance.now() - t0);
  const r = new Resolver({ timeout: cfg.timeoutMs, tries: 1 });
  if (cfg.resolver) {
    const { server, ip } = resolverServer(cfg.resolver);
    const c = classifyAddress(ip);
    if (!opts.allowPrivate && !c.allowed) return { outcome: "down", errorClass: "blocked", message: `Blocked by the SSRF guard: resolver ${c.reason}`, timings: { totalMs: 0 } };
    r.setServers([server]);
  }
  const name = norm(cfg.hostname);
  let answer: string[];
  try {
    answer = await query(r, name, cfg.recordType);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "";
    if (code === "ETIMEOUT") return { outcome: "down", errorClass: "timeout", message: `No DNS answer for ${name} ${cfg.recordType} within ${cfg.timeoutMs} ms`, timings: { totalMs: total() } };
    const what = code === "ENOTFOUND" ? "does not exist (NXDOMAIN)" : code === "ENODATA" ? `has no ${cfg.recordType} records` : code === "ESERVFAIL" ? "failed on the server (SERVFAIL)" : `failed (${code || "error"})`;
    return { outcome: "down", errorClass: "dns", message: `DNS lookup of ${name} ${cfg.recordType} ${what}`, timings: { totalMs: total() } };
  }
  const missing = cfg.expected.filter((e) => !matches(answer, e, cfg.recordType));
  if (missing.length) {
    return {
      outcome: "down",
      errorClass: "dns_mismatch",
      message: `${name} ${cfg.recordType} answered ${answer.map((a) => JSON.stringify(a)).join(", ") || "nothing"}; missing ${missing.map((m) => JSON.stringify(m)).join(", ")}`,
      timings: { dnsMs: total(), totalMs: total() },
    };
  }
  return { outcome: "up", timings: { dnsMs: total(), totalMs: total() }, message: `${name} ${cfg.recordType}: ${answer.join(", ")}` };
};
