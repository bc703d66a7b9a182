import dns from "node:dns";
import net, { type LookupFunction } from "node:net";
import { Invalid } from "../errors";

/**
 * The SSRF guard for every outbound connection a check or webhook makes. Literal targets are
 * refused at create time; every destination is checked again at connect time, after DNS, and
 * the validated address is the one the socket connects to (pinned), so a rebinding resolver
 * that answers differently on a second lookup never gets a second lookup.
 *
 * Policy for mixed answers: if ANY address a name resolves to is forbidden, the connection is
 * refused — a name that points partly at our network is not a public target.
 */

export class SsrfBlockedError extends Error {
  readonly code = "ESSRFBLOCKED";
  constructor(readonly reason: string) {
    super(`Blocked by the SSRF guard: ${reason}`);
    this.name = "SsrfBlockedError";
  }
}

export function isSsrfBlocked(err: unknown): err is SsrfBlockedError {
  return err instanceof SsrfBlockedError || (err as { code?: string })?.code === "ESSRFBLOCKED";
}

type Range = { base: bigint; bits: number; total: number; label: string };

function v4ToBig(ip: string): bigint {
  return ip.split(".").reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}
function v6ToBig(ip: string): bigint {
  return expandV6(ip).reduce((acc, h) => (acc << 16n) | BigInt(h), 0n);
}

/** Eight 16-bit groups of an IPv6 address (handles :: and an embedded dotted IPv4 tail). */
function expandV6(ip: string): number[] {
  let s = ip.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const n = Number(v4ToBig(tail[1]!));
    s = s.slice(0, -tail[1]!.length) + `${((n >>> 16) & 0xffff).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = s.split("::") as [string, string | undefined];
  const h = head ? head.split(":") : [];
  const r = rest !== undefined ? (rest ? rest.split(":") : []) : [];
  const fill = rest !== undefined ? 8 - h.length - r.length : 0;
  return [...h, ...Array(fill).fill("0"), ...r].map((x) => parseInt(x || "0", 16));
}

const v4 = (cidr: string, label: string): Range => {
  const [ip, bits] = cidr.split("/");
  return { base: v4ToBig(ip!), bits: Number(bits), total: 32, label };
};
const v6 = (cidr: string, label: string): Range => {
  const [ip, bits] = cidr.split("/");
  return { base: v6ToBig(ip!), bits: Number(bits), total: 128, label };
};

const V4_FORBIDDEN: Range[] = [
  v4("0.0.0.0/8", "\"this network\" address"),
  v4("10.0.0.0/8", "private address"),
  v4("100.64.0.0/10", "carrier-grade NAT address"),
  v4("127.0.0.0/8", "loopback address"),
  v4("169.254.0.0/16", "link-local address"),
  v4("172.16.0.0/12", "private address"),
  v4("192.0.0.0/24", "IETF protocol assignment"),
  v4("192.0.2.0/24", "documentation address"),
  v4("192.88.99.0/24", "6to4 relay anycast address"),
  v4("192.168.0.0/16", "private address"),
  v4("198.18.0.0/15", "benchmarking address"),
  v4("198.51.100.0/24", "documentation address"),
  v4("203.0.113.0/24", "documentation address"),
  v4("224.0.0.0/4", "multicast address"),
  v4("240.0.0.0/4", "reserved address"),
];

const V6_FORBIDDEN: Range[] = [
  v6("::/128", "unspecified address"),
  v6("::1/128", "loopback address"),
  v6("100::/64", "discard-only address"),
  v6("2001:db8::/32", "documentation address"),
  v6("2001::/32", "Teredo tunnel address"),
  v6("2001:10::/28", "ORCHID address"),
  v6("fc00::/7", "unique-local (private) address"),
  v6("fe80::/10", "link-local address"),
  v6("fec0::/10", "site-local address"),
  v6("ff00::/8", "multicast address"),
];

function inRange(n: bigint, r: Range): boolean {
  const shift = BigInt(r.total - r.bits);
  return n >> shift === r.base >> shift;
}

/** An IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64, 6to4), if any. */
function embeddedV4(n: bigint): string | null {
  const toV4 = (x: bigint) => [24n, 16n, 8n, 0n].map((s) => Number((x >> s) & 0xffn)).join(".");
  if (n >> 32n === 0xffffn) return toV4(n & 0xffffffffn); // ::ffff:a.b.c.d
  if (n >> 32n === 0n && n > 1n) return toV4(n); // ::a.b.c.d (deprecated compatible form)
  if (n >> 32n === 0xffff0000n) return toV4(n & 0xffffffffn); // ::ffff:0:a.b.c.d (SIIT)
  if (n >> 32n === 0x64ff9b0000000000000000n) return toV4(n & 0xffffffffn); // 64:ff9b::/96
  if (n >> 80n === 0x0064ff9b0001n) return toV4((n >> 16n) & 0xffffffffn); // 64:ff9b:1::/48 (local NAT64)
  if (n >> 112n === 0x2002n) return toV4((n >> 80n) & 0xffffffffn); // 6to4 2002:AABB:CCDD::
  return null;
}

export function classifyAddress(ip: string): { allowed: true } | { allowed: false; reason: string } {
  const clean = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const fam = net.isIP(clean);
  if (fam === 4) {
    const n = v4ToBig(clean);
    const hit = V4_FORBIDDEN.find((r) => inRange(n, r));
    if (clean === "169.254.169.254") return { allowed: false, reason: "cloud metadata address 169.254.169.254" };
    if (clean === "255.255.255.255") return { allowed: false, reason: "broadcast address 255.255.255.255" };
    return hit ? { allowed: false, reason: `${hit.label} ${clean}` } : { allowed: true };
  }
  if (fam === 6) {
    const n = v6ToBig(clean);
    const inner = embeddedV4(n);
    if (inner) {
      const c = classifyAddress(inner);
      return c.allowed ? c : { allowed: false, reason: `${c.reason} (embedded in ${clean})` };
    }
    if (clean.toLowerCase() === "fd00:ec2::254") return { allowed: false, reason: "cloud metadata address fd00:ec2::254" };
    const hit = V6_FORBIDDEN.find((r) => inRange(n, r));
    return hit ? { allowed: false, reason: `${hit.label} ${clean}` } : { allowed: true };
  }
  return { allowed: false, reason: `not an IP address: ${ip}` };
}

/**
 * Canonical address for any literal form a URL parser or resolver would accept — decimal
 * 2130706433, hex 0x7f000001, 0x7f.1, octal 0177.0.0.1, short forms 127.1 / 10.1, a trailing
 * dot, bracketed IPv6 with or without a zone id — or null when `host` is a DNS name.
 */
export function parseHostLiteral(host: string): string | null {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  h = h.replace(/%.*$/, "");
  if (net.isIPv6(h)) return h;
  h = h.replace(/\.$/, "");
  const parts = h.split(".");
  if (parts.length < 1 || parts.length > 4 || parts.some((p) => p === "")) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0x[0-9a-f]*$/.test(p)) v = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]+$/.test(p)) v = parseInt(p, 8);
    else if (/^(0|[1-9]\d*)$/.test(p)) v = Number(p);
    else return null;
    if (!Number.isFinite(v)) return null;
    nums.push(v);
  }
  // The last part fills all remaining bytes (WHATWG URL IPv4 parsing).
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  let n = BigInt(last);
  nums.forEach((x, i) => (n += BigInt(x) << BigInt(8 * (3 - i))));
  return [24n, 16n, 8n, 0n].map((s) => Number((n >> s) & 0xffn)).join(".");
}

function hostOf(hostOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(hostOrUrl)) {
    try {
      return new URL(hostOrUrl).hostname;
    } catch {
      return hostOrUrl;
    }
  }
  return hostOrUrl;
}

/** Create/update-time check: literals in any encoding, and localhost names. */
export function assertPublicTarget(hostOrUrl: string, allowPrivate: boolean, field = "url"): void {
  if (allowPrivate) return;
  const host = hostOf(hostOrUrl);
  const bare = host.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  const fail = (what: string) => {
    const msg = `${what}; monitoring it is not allowed here (self-hosted installs can set ALLOW_PRIVATE_TARGETS=true)`;
    throw new Invalid(msg, { [field]: [msg] });
  };
  if (bare === "localhost" || bare.endsWith(".localhost")) fail(`${host} is a loopback name`);
  const literal = parseHostLiteral(host);
  if (literal) {
    const c = classifyAddress(literal);
    if (!c.allowed) fail(`${host} is a ${c.reason}`);
  }
}

type Resolve = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

const systemResolve: Resolve = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));

/** A `lookup` for http/https/net/tls that resolves once, validates every answer and pins one. */
export function guardedLookup(opts: { allowPrivate: boolean; resolve?: Resolve }): LookupFunction {
  const resolve = opts.resolve ?? systemResolve;
  return ((hostname: string, options: dns.LookupOptions | number, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    const all = typeof options === "object" && options?.all === true;
    const done = (err: NodeJS.ErrnoException | null, addr?: { address: string; family: 4 | 6 }) => {
      if (err || !addr) return callback(err ?? new Error("no address"), all ? [] : "", 4);
      if (all) return callback(null, [addr]);
      return callback(null, addr.address, addr.family);
    };
    const literal = parseHostLiteral(hostname);
    const answers: Promise<{ address: string; family: 4 | 6 }[]> = literal
      ? Promise.resolve([{ address: literal, family: net.isIPv6(literal) ? 6 : 4 }])
      : resolve(hostname.replace(/\.$/, ""));
    answers.then(
      (list) => {
        if (!list.length) {
          const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }) as NodeJS.ErrnoException;
          return done(e);
        }
        if (!opts.allowPrivate) {
          for (const a of list) {
            const c = classifyAddress(a.address);
            if (!c.allowed) return done(new SsrfBlockedError(literal ? c.reason : `${hostname} resolves to ${c.reason}`));
          }
        }
        done(null, list[0]);
      },
      (err: NodeJS.ErrnoException) => done(err),
    );
  }) as unknown as LookupFunction;
}

/**
 * Connect-time check for a host that is an IP literal: Node does not call `lookup` for
 * literals, so executors call this on every hop before connecting. Names go through
 * guardedLookup instead.
 */
export function assertConnectable(host: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const literal = parseHostLiteral(host);
  if (!literal) {
    const bare = host.replace(/\.$/, "").toLowerCase();
    if (bare === "localhost" || bare.endsWith(".localhost")) throw new SsrfBlockedError(`${host} is a loopback name`);
    return;
  }
  const c = classifyAddress(literal);
  if (!c.allowed) throw new SsrfBlockedError(c.reason);
}
