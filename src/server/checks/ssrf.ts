import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import net, { type LookupFunction } from "node:net";
import { domainToASCII } from "node:url";
import { Invalid } from "../errors";

/**
 * The SSRF guard for every outbound connection a check or webhook makes.
 *
 * - Create/update time (`assertPublicTarget`): literal targets in any encoding, and localhost
 *   names, are refused with a field error. Names are not resolved here: DNS can change later.
 * - Connect time (`guardedLookup`, `assertConnectable`): every destination is checked again
 *   after DNS. The lookup resolves once per connection, validates every address it got and
 *   hands the socket exactly one validated address (pinned), so a rebinding resolver never
 *   gets the second lookup it would need to swap in a private address.
 *
 * Policies:
 * - Mixed answers: if ANY address a name resolves to is forbidden, the connection is refused,
 *   even when a public one is also present — a name that points partly at our network is not
 *   a public target, and refusing does not depend on which address a socket would try first.
 * - IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96,
 *   SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address.
 * - Teredo (2001::/32) is refused outright rather than decoded: the public Teredo service is
 *   retired, and its obfuscated client field makes decoding easy to get wrong.
 * - Local-use NAT64 (64:ff9b:1::/48) is refused outright: its operator picks the prefix length,
 *   so where the IPv4 address sits cannot be known from outside.
 * - IPv6 outside global unicast 2000::/3 is refused (IANA allocates nothing routable there),
 *   apart from the embedding forms above.
 * - `allowPrivate` (ALLOW_PRIVATE_TARGETS=true) turns every refusal off; the resolution and the
 *   address checks still run, so a check costs what it costs with the guard refusing.
 */

export class SsrfBlockedError extends Error {
  readonly code = "ESSRFBLOCKED";
  constructor(readonly reason: string) {
    super(`Blocked by the SSRF guard: ${reason}`);
    this.name = "SsrfBlockedError";
  }
}

export function isSsrfBlocked(err: unknown): err is SsrfBlockedError {
  if (err instanceof SsrfBlockedError) return true;
  // Duck-typed too: an error re-created across a module or process boundary loses its class.
  const e = err as { code?: unknown; reason?: unknown } | null;
  return typeof e === "object" && e !== null && e.code === "ESSRFBLOCKED" && typeof e.reason === "string";
}

// ---------------------------------------------------------------------------------------------
// Address arithmetic: IPv4 as a 32-bit and IPv6 as a 128-bit bigint.

type Parsed = { family: 4 | 6; value: bigint };

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join(".");
}

/** inet_ntop's form: lowercase, longest zero run compressed, dotted tail for mapped/compatible. */
function formatV6(n: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  const dotted = best.base === 0 && (best.len === 6 || (best.len === 5 && g[5] === 0xffff));
  const groups = (from: number, to: number) => g.slice(from, to).map((x) => x.toString(16));
  const tail = dotted ? [formatV4(n & 0xffffffffn)] : [];
  const end = dotted ? 6 : 8;
  if (best.base === -1) return [...groups(0, end), ...tail].join(":");
  const left = groups(0, best.base).join(":");
  const right = [...groups(best.base + best.len, end), ...tail].join(":");
  return `${left}::${right}`;
}

/** One part of a WHATWG IPv4 address: decimal, 0x-hex or 0-octal; "0x" alone is 0. */
function v4Number(p: string): bigint | null {
  if (p === "") return null;
  let digits = p;
  let prefix = "";
  let valid = /^[0-9]+$/;
  if (/^0x/i.test(p)) [digits, prefix, valid] = [p.slice(2), "0x", /^[0-9a-f]+$/i];
  else if (p.length > 1 && p.startsWith("0")) [digits, prefix, valid] = [p.slice(1), "0o", /^[0-7]+$/];
  if (digits === "") return 0n;
  return valid.test(digits) ? BigInt(prefix + digits) : null;
}

/** WHATWG URL IPv4 parsing: 1–4 parts, the last one filling all remaining bytes. */
function parseV4(h: string): bigint | null {
  const parts = h.split(".");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // one trailing dot
  if (parts.length > 4) return null;
  const nums: bigint[] = [];
  for (const p of parts) {
    const n = v4Number(p);
    if (n === null) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255n) || last >= 256n ** BigInt(4 - nums.length)) return null;
  return nums.reduce((acc, n, i) => acc + (n << BigInt(8 * (3 - i))), last);
}

function parseV6(h: string): bigint | null {
  const s = h.replace(/%.*$/s, ""); // zone id ("%eth0", or "%25eth0" as written in URLs)
  if (!net.isIPv6(s)) return null;
  let t = s.toLowerCase();
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (dotted) {
    const v = parseV4(dotted[2]!)!;
    t = `${dotted[1]}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = t.split("::");
  const h1 = head ? head.split(":") : [];
  const r1 = rest ? rest.split(":") : [];
  const groups = rest === undefined ? h1 : [...h1, ...Array<string>(8 - h1.length - r1.length).fill("0"), ...r1];
  return groups.reduce((acc, x) => (acc << 16n) | BigInt(parseInt(x, 16)), 0n);
}

/** Full-width digits and ideographic dots fold to ASCII the way a URL parser folds them. */
function toAscii(host: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(host) ? domainToASCII(host) : host.toLowerCase();
}

function parseLiteral(host: string): Parsed | null {
  let h = host.trim();
  if (h.startsWith("[") && h.endsWith("]")) {
    const v6 = parseV6(h.slice(1, -1));
    return v6 === null ? null : { family: 6, value: v6 };
  }
  const v6 = parseV6(h);
  if (v6 !== null) return { family: 6, value: v6 };
  h = toAscii(h);
  const v4 = h ? parseV4(h) : null;
  return v4 === null ? null : { family: 4, value: v4 };
}

const format = (p: Parsed) => (p.family === 4 ? formatV4(p.value) : formatV6(p.value));

/**
 * Canonical address for any literal form a URL parser or resolver would accept — decimal
 * 2130706433, hex 0x7f000001, 0x7f.1, octal 0177.0.0.1, short forms 127.1 / 10.1, a trailing
 * dot, bracketed IPv6 with or without a zone id, any letter case — or null for a DNS name.
 */
export function parseHostLiteral(host: string): string | null {
  const p = parseLiteral(host);
  return p ? format(p) : null;
}

// ---------------------------------------------------------------------------------------------
// Forbidden ranges. More specific entries come first: the first match names the reason.

type Range = { family: 4 | 6; prefix: bigint; bits: number; cidr: string; label: string; showCidr: boolean };

function range(cidr: string, label: string, showCidr = true): Range {
  const [ip = "", bits = ""] = cidr.split("/");
  const p = parseLiteral(ip)!;
  return { family: p.family, prefix: p.value, bits: Number(bits), cidr, label, showCidr };
}

const V4_RANGES: Range[] = [
  range("169.254.169.254/32", "cloud metadata address", false), // AWS, GCP, Azure, OCI, DO…
  range("100.100.100.200/32", "cloud metadata address", false), // Alibaba Cloud
  range("168.63.129.16/32", "cloud platform address (Azure WireServer)", false), // public, but host-internal
  range("255.255.255.255/32", "broadcast address", false),
  range("0.0.0.0/8", '"this network" address'),
  range("10.0.0.0/8", "private address"),
  range("100.64.0.0/10", "carrier-grade NAT address"),
  range("127.0.0.0/8", "loopback address", false),
  range("169.254.0.0/16", "link-local address"),
  range("172.16.0.0/12", "private address"),
  range("192.0.0.0/24", "IETF protocol assignment address"),
  range("192.0.2.0/24", "documentation address"),
  range("192.88.99.0/24", "6to4 relay anycast address"),
  range("192.168.0.0/16", "private address"),
  range("198.18.0.0/15", "benchmarking address"),
  range("198.51.100.0/24", "documentation address"),
  range("203.0.113.0/24", "documentation address"),
  range("224.0.0.0/4", "multicast address"),
  range("240.0.0.0/4", "reserved address"),
];

const V6_RANGES: Range[] = [
  range("::/128", "unspecified address", false),
  range("::1/128", "loopback address", false),
  range("fd00:ec2::254/128", "cloud metadata address", false), // AWS IMDS over IPv6
  range("64:ff9b:1::/48", "local-use NAT64 address"),
  range("100::/64", "discard-only address"),
  range("2001:db8::/32", "documentation address"),
  range("2001::/32", "Teredo address"),
  range("2001:2::/48", "benchmarking address"),
  range("2001:10::/28", "ORCHID address"),
  range("3fff::/20", "documentation address"),
  range("5f00::/16", "segment-routing (SRv6) address"),
  range("fc00::/7", "unique-local address"),
  range("fe80::/10", "link-local address"),
  range("fec0::/10", "site-local address"),
  range("ff00::/8", "multicast address"),
];

function inRange(p: Parsed, r: Range): boolean {
  const shift = BigInt((p.family === 4 ? 32 : 128) - r.bits);
  return p.family === r.family && p.value >> shift === r.prefix >> shift;
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, SIIT, NAT64, 6to4), if any. */
function embeddedV4(n: bigint): bigint | null {
  const low32 = n & 0xffffffffn;
  if (n >> 32n === 0xffffn) return low32; // ::ffff:a.b.c.d
  if (n >> 32n === 0n && n > 1n) return low32; // ::a.b.c.d (deprecated IPv4-compatible)
  if (n >> 32n === 0xffff0000n) return low32; // ::ffff:0:a.b.c.d (SIIT)
  if (n >> 32n === 0x64ff9b0000000000000000n) return low32; // 64:ff9b::/96 (well-known NAT64)
  if (n >> 112n === 0x2002n) return (n >> 80n) & 0xffffffffn; // 2002:AABB:CCDD::/48 (6to4)
  return null;
}

type Block = { label: string; address: string; cidr?: string; outer?: string };

function blockOf(p: Parsed): Block | null {
  if (p.family === 6 && p.value > 1n) {
    const inner = embeddedV4(p.value);
    if (inner !== null) {
      const b = blockOf({ family: 4, value: inner });
      return b && { ...b, outer: formatV6(p.value) };
    }
  }
  const r = (p.family === 4 ? V4_RANGES : V6_RANGES).find((x) => inRange(p, x));
  if (r) return { label: r.label, address: format(p), cidr: r.showCidr ? r.cidr : undefined };
  if (p.family === 6 && p.value >> 125n !== 1n) return { label: "reserved address", address: format(p), cidr: "outside global unicast 2000::/3" };
  return null;
}

const reasonOf = (b: Block) => `${b.label} ${b.address}${b.cidr ? ` (${b.cidr})` : ""}${b.outer ? ` embedded in ${b.outer}` : ""}`;

/**
 * Whether a connection to `ip` is allowed. Accepts every literal form parseHostLiteral does;
 * anything that is not an IP address is refused.
 */
export function classifyAddress(ip: string): { allowed: true } | { allowed: false; reason: string } {
  const p = parseLiteral(ip);
  if (!p) return { allowed: false, reason: `not an IP address: ${ip}` };
  const b = blockOf(p);
  return b ? { allowed: false, reason: reasonOf(b) } : { allowed: true };
}

/** "localhost" and "*.localhost" always mean loopback (RFC 6761), whatever DNS says. */
function isLocalhostName(host: string): boolean {
  const h = toAscii(host.trim()).replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
}

// ---------------------------------------------------------------------------------------------
// Create/update time.

/**
 * Zones that only mean something inside a network (mDNS, cluster DNS, corporate and home
 * zones, reverse zones, RFC 6761/8375 special-use names): resolving them from the server
 * reads the server's own private DNS.
 */
const PRIVATE_ZONES = [
  "local",
  "localhost",
  "localdomain",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "home.arpa",
  "svc",
  "cluster.local",
  "in-addr.arpa",
  "ip6.arpa",
  "test",
  "invalid",
];

/** Why a DNS name is private (single label or in a private zone), or null for a public name. */
export function privateNameReason(name: string): string | null {
  const h = toAscii(name.trim()).replace(/\.$/, "");
  if (!h.includes(".")) return `${name.trim()} is a single-label name (resolved by the server's own search domains)`;
  const zone = PRIVATE_ZONES.find((z) => h === z || h.endsWith(`.${z}`));
  return zone ? `${name.trim()} is in the private zone .${zone}` : null;
}

/** Create/update-time check of a name a DNS monitor resolves. */
export function assertPublicName(name: string, allowPrivate: boolean, field = "hostname"): void {
  if (allowPrivate) return;
  const why = privateNameReason(name);
  if (why) {
    const msg = `${why}; monitoring it is not allowed here (self-hosted installs can set ALLOW_PRIVATE_TARGETS=true)`;
    throw new Invalid(msg, { [field]: [msg] });
  }
}

/** Schemes a URL parser treats specially: any run of "/" or "\\" after the colon (even none) leads to the host. */
const SPECIAL_SCHEME = /^(?:https?|wss?|ftp):/i;

/**
 * The host as written (for messages) and as the WHATWG URL parser reads it (for the check):
 * "http:/h/", "http:h/" and "http:\\h\\" all mean http://h/, as the executors will see them.
 */
function hostOf(hostOrUrl: string): { written: string; parsed: string } {
  const s = hostOrUrl.trim();
  const isUrl = SPECIAL_SCHEME.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
  if (!isUrl && parseLiteral(s)) return { written: s, parsed: s }; // "::1", "fe80::1%eth0"
  const url = isUrl ? s : `http://${s}`;
  const written = /^[a-z][a-z0-9+.-]*:[/\\]*(?:[^@/\\?#]*@)?(\[[^\]/\\?#]*\]|[^:/\\?#]*)/i.exec(url)?.[1];
  try {
    const parsed = new URL(url).hostname;
    return { written: written || parsed, parsed };
  } catch {
    // URL refuses some forms a socket accepts (e.g. IPv6 zone ids): judge the host as written.
    return { written: written || s, parsed: written || s };
  }
}

/**
 * Create/update-time check: refuses a URL or bare host whose host is a forbidden literal (in
 * any encoding) or a localhost name. Names resolving to private addresses are caught at
 * connect time, since their DNS answer can change after this check.
 */
export function assertPublicTarget(hostOrUrl: string, allowPrivate: boolean, field = "url"): void {
  if (allowPrivate) return;
  const { written, parsed } = hostOf(hostOrUrl);
  const fail = (what: string): never => {
    const msg = `${what}; monitoring it is not allowed here (self-hosted installs can set ALLOW_PRIVATE_TARGETS=true)`;
    throw new Invalid(msg, { [field]: [msg] });
  };
  if (isLocalhostName(parsed)) fail(`${written} is a loopback name`);
  const p = parseLiteral(parsed);
  const b = p && blockOf(p);
  if (!b) return;
  // "10.0.0.5 is a private address (10.0.0.0/8)", but "0x7f.1 is a loopback address 127.0.0.1".
  const plain = !b.outer && written.replace(/^\[|\]$/g, "").toLowerCase() === b.address;
  fail(plain ? `${written} is a ${b.label}${b.cidr ? ` (${b.cidr})` : ""}` : `${written} is a ${reasonOf(b)}`);
}

// ---------------------------------------------------------------------------------------------
// Connect time.

type Answer = { address: string; family: 4 | 6 };
type Resolve = (hostname: string) => Promise<Answer[]>;
type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;

const systemResolve: Resolve = async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

function dnsError(code: string, hostname: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, hostname, syscall: "getaddrinfo" });
}

/**
 * Connect-time check for one connection: resolves `hostname` once (literals need no DNS),
 * refuses if any answer is forbidden, and returns the single address the socket must use.
 */
async function pinnedAddress(hostname: string, family: 0 | 4 | 6, opts: { allowPrivate: boolean; resolve: Resolve }): Promise<Answer> {
  const literal = parseLiteral(hostname);
  // The checks run whatever the policy; ALLOW_PRIVATE_TARGETS only turns the refusal off.
  if (!literal && isLocalhostName(hostname) && !opts.allowPrivate) throw new SsrfBlockedError(`${hostname} is a loopback name`);
  const raw: unknown = literal ? [{ address: format(literal), family: literal.family }] : await opts.resolve(hostname);
  if (!Array.isArray(raw) || raw.length === 0) throw dnsError("ENOTFOUND", hostname, `getaddrinfo ENOTFOUND ${hostname}`);
  const answers: Answer[] = [];
  for (const a of raw as { address?: unknown }[]) {
    const written = String(a?.address ?? "");
    const p = parseLiteral(written);
    if (!p) throw dnsError("EBADRESP", hostname, `DNS answer for ${hostname} is not an IP address: ${written}`);
    const b = blockOf(p);
    if (b && !opts.allowPrivate) throw new SsrfBlockedError(literal ? reasonOf(b) : `${hostname} resolves to ${reasonOf(b)}`);
    // The resolver's own spelling when it is already an IP (keeps a zone id); canonical otherwise.
    answers.push({ address: net.isIP(written) ? written : format(p), family: p.family });
  }
  const chosen = family ? answers.find((a) => a.family === family) : answers[0];
  if (!chosen) throw dnsError("ENOTFOUND", hostname, `getaddrinfo ENOTFOUND ${hostname} (no IPv${family} address)`);
  return chosen;
}

/**
 * The one address a connection to `host` must use, checked by the guard: for executors that
 * hand a driver an address rather than a lookup (PostgreSQL, Redis). Literals need no DNS;
 * names are resolved once and every answer must be allowed.
 */
export async function resolvePinned(host: string, opts: { allowPrivate: boolean; resolve?: Resolve }): Promise<Answer> {
  const h = host.replace(/^\[|\]$/g, "");
  const literal = parseLiteral(h);
  if (literal) {
    assertConnectable(h, opts.allowPrivate);
    // A zone id stays as written: the canonical form drops it.
    return { address: net.isIP(h) ? h : format(literal), family: literal.family };
  }
  return pinnedAddress(h, 0, { allowPrivate: opts.allowPrivate, resolve: opts.resolve ?? systemResolve });
}

/**
 * A drop-in `lookup` for http.request, https.request, net.connect and tls.connect. Honours
 * Node's call shapes: (hostname, options, callback) with options.all true → [{address, family}],
 * otherwise (address, family); also (hostname, family, callback) and (hostname, callback).
 * Errors: SsrfBlockedError for a forbidden destination; the resolver's errors unchanged.
 *
 * Node never calls `lookup` for a host that is already a canonical IP literal, so callers check
 * those with assertConnectable before connecting.
 */
export function guardedLookup(opts: { allowPrivate: boolean; resolve?: Resolve }): LookupFunction {
  const config = { allowPrivate: opts.allowPrivate, resolve: opts.resolve ?? systemResolve };
  function lookup(hostname: string, options: LookupOptions | number | LookupCallback, cb?: LookupCallback): void {
    const callback = typeof options === "function" ? options : cb;
    if (typeof callback !== "function") throw new TypeError("lookup: callback must be a function");
    const o: LookupOptions = typeof options === "object" && options !== null ? options : { family: typeof options === "number" ? options : 0 };
    const family = o.family === 4 || o.family === "IPv4" ? 4 : o.family === 6 || o.family === "IPv6" ? 6 : 0;
    // The callback runs outside the promise chain, so an exception it throws is not swallowed.
    pinnedAddress(String(hostname), family, config).then(
      (a) => process.nextTick(() => (o.all ? callback(null, [{ address: a.address, family: a.family }]) : callback(null, a.address, a.family))),
      (err: NodeJS.ErrnoException) => process.nextTick(() => callback(err)),
    );
  }
  return lookup as LookupFunction;
}

/**
 * Connect-time check for a host Node will not pass to `lookup` (a canonical IP literal, as
 * URL hostnames always are) and for localhost names. Executors call it before every hop;
 * names go on to guardedLookup.
 */
export function assertConnectable(host: string, allowPrivate: boolean): void {
  const p = parseLiteral(host);
  if (!p) {
    if (isLocalhostName(host) && !allowPrivate) throw new SsrfBlockedError(`${host} is a loopback name`);
    return;
  }
  const b = blockOf(p);
  if (b && !allowPrivate) throw new SsrfBlockedError(reasonOf(b));
}
