import { Resolver } from "node:dns/promises";
import { performance } from "node:perf_hooks";
import { parseResolver } from "../resolver";
import { classifyAddress, privateNameReason } from "../ssrf";
import type { CheckResult, DnsConfig, DnsRecordType, Executor } from "../types";

/** Names compare case-insensitively, without a trailing dot, with runs of spaces collapsed. */
const norm = (s: string) => s.trim().toLowerCase().replace(/\.$/, "").replace(/\s+/g, " ");

async function query(r: Resolver, name: string, type: DnsRecordType): Promise<string[]> {
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
      // A TXT record may be split in 255-byte strings; what people compare against is the joined value.
      return (await r.resolveTxt(name)).map((chunks) => chunks.join(""));
  }
}

/** IPv6 in one canonical spelling, so "2001:DB8::1" and "2001:db8:0:0::1" are the same answer. */
function canonicalV6(ip: string): string {
  try {
    return new URL(`http://[${ip}]/`).hostname;
  } catch {
    return ip;
  }
}

function matches(answer: string[], expected: string, type: DnsRecordType): boolean {
  if (type === "TXT") return answer.includes(expected.trim()); // TXT data is case-sensitive
  const e = norm(expected);
  if (type === "MX") {
    // "10 mx.example.com" must match the priority too; "mx.example.com" matches the exchange alone.
    return answer.some((a) => norm(a) === e || norm(a).split(" ")[1] === e);
  }
  if (type === "AAAA") return answer.some((a) => canonicalV6(norm(a)) === canonicalV6(e));
  return answer.some((a) => norm(a) === e);
}

/**
 * An answer as results may show it: without private targets allowed, private addresses and
 * names in private zones are not echoed (they map the server's own network).
 */
export function shownAnswer(answer: string[], type: DnsRecordType, allowPrivate: boolean): string[] {
  if (allowPrivate || type === "TXT") return answer;
  return answer.map((a) => {
    if (type === "A" || type === "AAAA") return classifyAddress(a).allowed ? a : "(a private address)";
    const name = type === "MX" ? (a.split(" ")[1] ?? a) : a;
    return privateNameReason(name) ? "(a private name)" : a;
  });
}

const RECORD_TYPES: readonly DnsRecordType[] = ["A", "AAAA", "CNAME", "MX", "TXT", "NS"];

const DNS_ERRORS: Record<string, string> = {
  ENOTFOUND: "does not exist (NXDOMAIN)",
  ENODATA: "has no records of this type",
  ESERVFAIL: "failed on the server (SERVFAIL)",
  EREFUSED: "was refused by the resolver (REFUSED)",
  ECONNREFUSED: "could not reach the resolver (connection refused)",
  EBADNAME: "is not a valid DNS name",
  EFORMERR: "was rejected as malformed (FORMERR)",
  EBADRESP: "got a malformed answer",
};

/** Resolves one record type; every expected value must be in the answer. */
export const dnsExecutor: Executor<DnsConfig> = async (cfg, opts) => {
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  const name = norm(cfg.hostname);
  const down = (errorClass: CheckResult["errorClass"], message: string): CheckResult => ({ outcome: "down", errorClass, message, timings: { totalMs: elapsed() } });
  if (!RECORD_TYPES.includes(cfg.recordType)) return down("internal", `Unsupported DNS record type ${JSON.stringify(cfg.recordType)}`);
  const r = new Resolver({ timeout: Math.max(1, cfg.timeoutMs), tries: 1 });
  if (cfg.resolver) {
    const parsed = parseResolver(cfg.resolver);
    if (!parsed) return down("dns", `Invalid resolver address ${JSON.stringify(cfg.resolver)} (expected "ip" or "ip:port")`);
    const c = classifyAddress(parsed.ip);
    // The resolver is a destination we send packets to: same SSRF rule as any other target.
    if (!opts.allowPrivate && !c.allowed) return down("blocked", `Blocked by the SSRF guard: resolver is a ${c.reason}`);
    r.setServers([parsed.server]);
  }
  // Checked at create time too; again here for monitors stored before that rule.
  const privateName = opts.allowPrivate ? null : privateNameReason(name);
  if (privateName) return down("blocked", `Blocked by the SSRF guard: ${privateName}`);

  let timer: NodeJS.Timeout | undefined;
  let answer: string[];
  try {
    // c-ares' own timeout is per try and grows on retries; this is the monitor's hard limit.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" }));
        r.cancel();
      }, cfg.timeoutMs);
    });
    answer = await Promise.race([query(r, name, cfg.recordType), deadline]);
  } catch (e) {
    const code = String((e as NodeJS.ErrnoException)?.code ?? "");
    if (code === "ETIMEOUT" || code === "ECANCELLED") return down("timeout", `No DNS answer for ${name} ${cfg.recordType} within ${cfg.timeoutMs} ms`);
    return down("dns", `DNS lookup of ${name} ${cfg.recordType} ${DNS_ERRORS[code] ?? `failed (${code || "unknown error"})`}`);
  } finally {
    clearTimeout(timer);
  }

  const totalMs = elapsed();
  const timings = { dnsMs: totalMs, totalMs };
  const missing = (cfg.expected ?? []).filter((e) => !matches(answer, e, cfg.recordType));
  const shown = shownAnswer(answer, cfg.recordType, opts.allowPrivate);
  if (missing.length) {
    const list = (xs: string[]) => xs.map((x) => JSON.stringify(x)).join(", ") || "nothing";
    return { outcome: "down", errorClass: "dns_mismatch", message: `${name} ${cfg.recordType}: expected ${list(cfg.expected)}, got ${list(shown)} (missing ${list(missing)})`, timings };
  }
  return { outcome: "up", message: `${name} ${cfg.recordType}: ${shown.join(", ")}`, timings };
};
