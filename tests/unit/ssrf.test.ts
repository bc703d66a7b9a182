import type { LookupAddress } from "node:dns";
import http from "node:http";
import net, { type AddressInfo, type LookupFunction } from "node:net";
import tls from "node:tls";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Invalid } from "../../src/server/errors";
import { SsrfBlockedError, assertConnectable, assertPublicTarget, classifyAddress, guardedLookup, isSsrfBlocked, parseHostLiteral, resolvePinned } from "../../src/server/checks/ssrf";

type Answer = { address: string; family: 4 | 6 };
const v4 = (address: string): Answer => ({ address, family: 4 });
const v6 = (address: string): Answer => ({ address, family: 6 });

// [address in any spelling, allowed]
const TABLE: [string, boolean][] = [
  // public controls, including the first addresses just outside forbidden ranges
  ["1.1.1.1", true],
  ["8.8.8.8", true],
  ["93.184.216.34", true],
  ["2606:4700:4700::1111", true],
  ["2a00:1450:4001::200e", true],
  ["100.63.255.255", true],
  ["100.128.0.0", true],
  ["172.15.255.255", true],
  ["172.32.0.0", true],
  ["9.255.255.255", true],
  ["11.0.0.0", true],
  ["126.255.255.255", true],
  ["128.0.0.0", true],
  ["169.253.255.255", true],
  ["169.255.0.0", true],
  ["192.167.255.255", true],
  ["192.169.0.0", true],
  ["198.17.255.255", true],
  ["198.20.0.0", true],
  ["223.255.255.255", true],
  ["::ffff:8.8.8.8", true],
  ["64:ff9b::808:808", true],
  ["2002:0808:0808::1", true],
  ["2001:4860:4860::8888", true],
  // loopback
  ["127.0.0.1", false],
  ["127.255.255.254", false],
  ["::1", false],
  ["0:0:0:0:0:0:0:1", false],
  // private
  ["10.0.0.1", false],
  ["10.255.255.255", false],
  ["172.16.0.0", false],
  ["172.31.255.255", false],
  ["192.168.0.0", false],
  ["192.168.255.255", false],
  // CGNAT
  ["100.64.0.0", false],
  ["100.127.255.255", false],
  // link-local and cloud metadata
  ["169.254.0.1", false],
  ["169.254.169.254", false],
  ["100.100.100.200", false],
  ["168.63.129.16", false],
  ["fe80::1", false],
  ["febf:ffff::1", false],
  ["fd00:ec2::254", false],
  // multicast, broadcast, reserved, "this network", unspecified
  ["224.0.0.1", false],
  ["239.255.255.250", false],
  ["255.255.255.255", false],
  ["240.0.0.1", false],
  ["0.0.0.0", false],
  ["0.1.2.3", false],
  ["::", false],
  ["ff02::1", false],
  ["ff0e::1", false],
  // documentation and benchmarking
  ["192.0.2.10", false],
  ["198.51.100.7", false],
  ["203.0.113.9", false],
  ["198.18.0.1", false],
  ["198.19.255.255", false],
  ["2001:db8::1", false],
  ["3fff::1", false],
  ["2001:2::1", false],
  // unique-local, site-local, non-global IPv6
  ["fc00::1", false],
  ["fd12:3456::1", false],
  ["fec0::1", false],
  ["100::1", false],
  ["4000::1", false],
  // IPv4 inside IPv6
  ["::ffff:127.0.0.1", false],
  ["::ffff:7f00:1", false],
  ["::FFFF:7F00:1", false],
  ["::ffff:10.1.2.3", false],
  ["::ffff:169.254.169.254", false],
  ["::127.0.0.1", false],
  ["::ffff:0:7f00:1", false],
  ["64:ff9b::7f00:1", false],
  ["64:ff9b::127.0.0.1", false],
  ["64:ff9b::a9fe:a9fe", false],
  ["64:ff9b:1::a00:1", false],
  ["64:ff9b:1::808:808", false], // local-use NAT64 is refused outright
  ["2002:7f00:1::1", false],
  ["2002:a9fe:a9fe::", false],
  ["2002:c0a8:0101::1", false],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", false], // Teredo, refused outright
  // odd encodings, brackets, zone ids
  ["2130706433", false],
  ["0x7f000001", false],
  ["0x7f.1", false],
  ["0177.0.0.1", false],
  ["127.1", false],
  ["10.1", false],
  ["0xA9FEA9FE", false],
  ["127.0.0.1.", false],
  ["[::1]", false],
  ["fe80::1%eth0", false],
  ["[FE80::1%25eth0]", false],
  ["134744072", true], // 8.8.8.8
  ["0x08.0x08.0x08.0x08", true],
  // not an address at all
  ["example.com", false],
  ["", false],
];

describe("classifyAddress", () => {
  it.each(TABLE)("%s → allowed: %s", (ip, allowed) => {
    expect(classifyAddress(ip).allowed).toBe(allowed);
  });

  it("names the reason, with the range where it helps", () => {
    expect(classifyAddress("127.0.0.1")).toEqual({ allowed: false, reason: "loopback address 127.0.0.1" });
    expect(classifyAddress("169.254.169.254")).toEqual({ allowed: false, reason: "cloud metadata address 169.254.169.254" });
    expect(classifyAddress("10.0.0.5")).toEqual({ allowed: false, reason: "private address 10.0.0.5 (10.0.0.0/8)" });
    expect(classifyAddress("100.64.1.1")).toEqual({ allowed: false, reason: "carrier-grade NAT address 100.64.1.1 (100.64.0.0/10)" });
    expect(classifyAddress("255.255.255.255")).toEqual({ allowed: false, reason: "broadcast address 255.255.255.255" });
    expect(classifyAddress("FD12::1")).toEqual({ allowed: false, reason: "unique-local address fd12::1 (fc00::/7)" });
    expect(classifyAddress("2001:0:1::1")).toEqual({ allowed: false, reason: "Teredo address 2001:0:1::1 (2001::/32)" });
    expect(classifyAddress("0x7f.1")).toEqual({ allowed: false, reason: "loopback address 127.0.0.1" });
    expect(classifyAddress("::ffff:7f00:1")).toEqual({ allowed: false, reason: "loopback address 127.0.0.1 embedded in ::ffff:127.0.0.1" });
    expect(classifyAddress("::127.0.0.1")).toEqual({ allowed: false, reason: "loopback address 127.0.0.1 embedded in ::127.0.0.1" });
    expect(classifyAddress("64:ff9b::a9fe:a9fe")).toEqual({ allowed: false, reason: "cloud metadata address 169.254.169.254 embedded in 64:ff9b::a9fe:a9fe" });
    expect(classifyAddress("2002:0a00:0001::")).toEqual({ allowed: false, reason: "private address 10.0.0.1 (10.0.0.0/8) embedded in 2002:a00:1::" });
    expect(classifyAddress("example.com")).toEqual({ allowed: false, reason: "not an IP address: example.com" });
  });

  it("judges every IPv6 form that carries an IPv4 address exactly as that IPv4 address", () => {
    const hex = (n: number) => [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const dotted = [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join(".");
        const [hi, lo] = hex(n);
        const expected = classifyAddress(dotted).allowed;
        expect(classifyAddress(String(n)).allowed).toBe(expected);
        for (const wrapped of [`::ffff:${dotted}`, `::${dotted}`, `::ffff:${hi}:${lo}`, `::ffff:0:${hi}:${lo}`, `64:ff9b::${dotted}`, `2002:${hi}:${lo}::1`]) {
          expect(classifyAddress(wrapped).allowed, wrapped).toBe(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("parseHostLiteral", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["0X7F000001", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0x7F.0x0.0x0.0x1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0177.0.0.01", "127.0.0.1"],
    ["017700000001", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.1", "127.0.0.1"],
    ["10.1", "10.0.0.1"],
    ["0xa.0.1", "10.0.0.1"],
    ["0xA9.0xFE.0xA9.0xFE", "169.254.169.254"],
    ["2852039166", "169.254.169.254"],
    ["127.0.0.1.", "127.0.0.1"],
    ["0", "0.0.0.0"],
    ["0x", "0.0.0.0"],
    ["4294967295", "255.255.255.255"],
    ["１２７.０.０.１", "127.0.0.1"],
    ["[::1]", "::1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["[::ffff:127.0.0.1]", "::ffff:127.0.0.1"],
    ["::ffff:7f00:1", "::ffff:127.0.0.1"],
    ["::FFFF:7F00:1", "::ffff:127.0.0.1"],
    ["::127.0.0.1", "::127.0.0.1"],
    ["64:ff9b::7f00:1", "64:ff9b::7f00:1"],
    ["2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["fe80::1%eth0", "fe80::1"],
    ["[FE80::1%25eth0]", "fe80::1"],
  ])("%s → %s", (input, out) => {
    expect(parseHostLiteral(input)).toBe(out);
  });

  it.each([
    "example.com",
    "localhost",
    "1.2.3.4.5",
    "256.1.1.1",
    "1.2.3.256",
    "1.2.65536",
    "0x100000000",
    "4294967296",
    "08.1.1.1",
    "0x7g.1",
    "1..2",
    "127.0.0.1..",
    "",
    "[127.0.0.1]",
    "1::2::3",
    "::ffff:127.000.0.1",
    "127.0.0.1.example",
  ])("%j is not a literal", (h) => {
    expect(parseHostLiteral(h)).toBeNull();
  });

  it("agrees with the WHATWG URL parser on every IPv4 spelling", () => {
    const part = (n: number, style: number) => (style === 0 ? String(n) : style === 1 ? `0x${n.toString(16)}` : style === 2 ? `0X${n.toString(16).toUpperCase()}` : `0${n.toString(8)}`);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        (n, count, styles, dot) => {
          const bytes = [24, 16, 8, 0].map((s) => (n >>> s) & 0xff);
          const head = bytes.slice(0, count - 1);
          const rest = bytes.slice(count - 1).reduce((acc, b) => acc * 256 + b, 0);
          const spelled = [...head, rest].map((x, i) => part(x, styles[i]!)).join(".") + (dot ? "." : "");
          const viaUrl = new URL(`http://${spelled}/`).hostname;
          expect(parseHostLiteral(spelled), spelled).toBe(viaUrl);
          expect(viaUrl).toBe(bytes.join("."));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("assertPublicTarget (create/update time)", () => {
  const refusal = (target: string, field?: string) => {
    try {
      assertPublicTarget(target, false, field);
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it.each([
    ["http://2130706433/", "2130706433 is a loopback address 127.0.0.1"],
    ["http://0x7f.1/", "0x7f.1 is a loopback address 127.0.0.1"],
    ["http://0177.0.0.1/", "0177.0.0.1 is a loopback address 127.0.0.1"],
    ["http://127.1:8080/x", "127.1 is a loopback address 127.0.0.1"],
    ["http://127.0.0.1./", "127.0.0.1. is a loopback address 127.0.0.1"],
    ["http://[::ffff:127.0.0.1]:8080/", "[::ffff:127.0.0.1] is a loopback address 127.0.0.1 embedded in ::ffff:127.0.0.1"],
    ["http://[::1]/", "[::1] is a loopback address"],
    ["http://localhost/", "localhost is a loopback name"],
    ["http://LOCALHOST.:3000/", "LOCALHOST. is a loopback name"],
    ["http://api.localhost/", "api.localhost is a loopback name"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"],
    ["https://user:secret@10.0.0.5:8443/", "10.0.0.5 is a private address (10.0.0.0/8)"],
    ["http://[fe80::1%25eth0]/", "[fe80::1%25eth0] is a link-local address fe80::1 (fe80::/10)"],
    ["http://[64:ff9b::a00:1]/", "[64:ff9b::a00:1] is a private address 10.0.0.1 (10.0.0.0/8) embedded in 64:ff9b::a00:1"],
    ["10.0.0.1", "10.0.0.1 is a private address (10.0.0.0/8)"],
    ["10.1:5432", "10.1 is a private address 10.0.0.1 (10.0.0.0/8)"],
    ["::1", "::1 is a loopback address"],
    ["fe80::1%eth0", "fe80::1%eth0 is a link-local address fe80::1 (fe80::/10)"],
    ["[::1]:22", "[::1] is a loopback address"],
    ["localhost", "localhost is a loopback name"],
  ])("refuses %s", (target, what) => {
    const e = refusal(target) as Invalid;
    expect(e).toBeInstanceOf(Invalid);
    const msg = `${what}; monitoring it is not allowed here (self-hosted installs can set ALLOW_PRIVATE_TARGETS=true)`;
    expect(e.message).toBe(msg);
    expect(e.fields).toEqual({ url: [msg] });
  });

  // A URL parser reads "http:/h/", "http:h/" and "http:\\h\\" as http://h/: the check must see the same host.
  it.each([
    ["http:/127.0.0.1/", "http://127.0.0.1/"],
    ["http:127.0.0.1/", "http://127.0.0.1/"],
    ["http:\\\\127.0.0.1\\", "http://127.0.0.1/"],
    ["https:/[::1]/", "https://[::1]/"],
    ["http:/169.254.169.254/", "http://169.254.169.254/"],
    ["HTTP:/0x7f.1/", "http://0x7f.1/"],
    ["http:///10.0.0.1/", "http://10.0.0.1/"],
  ])("refuses %s exactly as %s", (target, canonical) => {
    expect(new URL(target).hostname).toBe(new URL(canonical).hostname);
    const want = refusal(canonical) as Invalid;
    const got = refusal(target) as Invalid;
    expect(want).toBeInstanceOf(Invalid);
    expect(got).toBeInstanceOf(Invalid);
    expect(got.fields).toEqual(want.fields);
  });

  it("a bare host:port is a host, not a scheme", () => {
    expect(refusal("localhost:6379")).toBeInstanceOf(Invalid);
    expect(refusal("example.com:8080")).toBeUndefined();
  });

  it("reports under the field it is given and never echoes credentials", () => {
    const e = refusal("tcp://admin:hunter2@192.168.1.1:22", "host") as Invalid;
    expect(Object.keys(e.fields ?? {})).toEqual(["host"]);
    expect(e.message).not.toMatch(/hunter2|admin/);
  });

  it.each(["https://example.com", "http://8.8.8.8/", "http://[2606:4700:4700::1111]/", "http://134744072/", "example.com", "1.1.1.1", "http://internal.example/", "http://notlocalhost/"])(
    "lets %s through (names are judged after DNS, at connect time)",
    (target) => {
      expect(refusal(target)).toBeUndefined();
    },
  );

  it("lets everything through when private targets are allowed", () => {
    for (const t of ["http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]:8080/", "http://localhost/", "10.0.0.1", "http://169.254.169.254/"]) {
      expect(() => assertPublicTarget(t, true)).not.toThrow();
    }
  });
});

describe("assertConnectable (connect time, hosts Node never passes to lookup)", () => {
  it("refuses forbidden literals in any spelling and localhost names, with SsrfBlockedError", () => {
    for (const h of ["127.0.0.1", "[::1]", "2130706433", "::ffff:127.0.0.1", "169.254.169.254", "localhost", "x.localhost"]) {
      let err: unknown;
      try {
        assertConnectable(h, false);
      } catch (e) {
        err = e;
      }
      expect(err, h).toBeInstanceOf(SsrfBlockedError);
      expect((err as SsrfBlockedError).code).toBe("ESSRFBLOCKED");
    }
  });
  it("passes public literals, names and everything under allowPrivate", () => {
    expect(() => assertConnectable("8.8.8.8", false)).not.toThrow();
    expect(() => assertConnectable("example.com", false)).not.toThrow();
    expect(() => assertConnectable("127.0.0.1", true)).not.toThrow();
  });
});

describe("isSsrfBlocked", () => {
  it("recognises the guard's errors and nothing else", () => {
    expect(isSsrfBlocked(new SsrfBlockedError("loopback address 127.0.0.1"))).toBe(true);
    expect(isSsrfBlocked({ code: "ESSRFBLOCKED", reason: "loopback address 127.0.0.1", message: "x" })).toBe(true);
    expect(isSsrfBlocked(Object.assign(new Error("x"), { code: "ENOTFOUND" }))).toBe(false);
    expect(isSsrfBlocked(null)).toBe(false);
    expect(isSsrfBlocked("ESSRFBLOCKED")).toBe(false);
  });
});

/** Calls a LookupFunction the way net does and collects what it answers. */
function callLookup(lookup: LookupFunction, hostname: string, options: object) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address?: string | LookupAddress[]; family?: number }>((resolve) => {
    (lookup as (h: string, o: object, cb: (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void) => void)(hostname, options, (err, address, family) =>
      resolve({ err, address, family }),
    );
  });
}

describe("guardedLookup: Node's call shapes and the answer it pins", () => {
  const resolver = (answers: Answer[]) => vi.fn(async (_host: string) => answers);

  it("answers [{address, family}] for all:true and (address, family) otherwise", async () => {
    const lookup = guardedLookup({ allowPrivate: false, resolve: resolver([v4("93.184.216.34"), v6("2606:4700:4700::1111")]) });
    expect(await callLookup(lookup, "example.test", { all: true })).toEqual({ err: null, address: [{ address: "93.184.216.34", family: 4 }], family: undefined });
    expect(await callLookup(lookup, "example.test", { all: false })).toEqual({ err: null, address: "93.184.216.34", family: 4 });
    expect(await callLookup(lookup, "example.test", {})).toEqual({ err: null, address: "93.184.216.34", family: 4 });
  });

  it("honours a requested family, and the legacy (hostname, family, cb) and (hostname, cb) shapes", async () => {
    const lookup = guardedLookup({ allowPrivate: false, resolve: resolver([v4("93.184.216.34"), v6("2606:4700:4700::1111")]) });
    expect(await callLookup(lookup, "example.test", { family: 6 })).toMatchObject({ err: null, address: "2606:4700:4700::1111", family: 6 });
    const viaNumber = await new Promise((r) => (lookup as unknown as (h: string, f: number, cb: (...a: unknown[]) => void) => void)("example.test", 6, (...a) => r(a)));
    expect(viaNumber).toEqual([null, "2606:4700:4700::1111", 6]);
    const viaTwoArgs = await new Promise((r) => (lookup as unknown as (h: string, cb: (...a: unknown[]) => void) => void)("example.test", (...a) => r(a)));
    expect(viaTwoArgs).toEqual([null, "93.184.216.34", 4]);
    const v4Only = guardedLookup({ allowPrivate: false, resolve: resolver([v4("93.184.216.34")]) });
    expect((await callLookup(v4Only, "example.test", { family: 6 })).err?.code).toBe("ENOTFOUND");
  });

  it("calls back asynchronously, as dns.lookup does", async () => {
    const lookup = guardedLookup({ allowPrivate: false });
    let called = false;
    const done = new Promise<void>((r) =>
      (lookup as unknown as (h: string, o: object, cb: () => void) => void)("0x08080808", {}, () => {
        called = true;
        r();
      }),
    );
    expect(called).toBe(false);
    await done;
    expect(called).toBe(true);
  });

  it("validates literals in any spelling without DNS and hands back the canonical address", async () => {
    const resolve = resolver([v4("8.8.8.8")]);
    const lookup = guardedLookup({ allowPrivate: false, resolve });
    for (const h of ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "127.0.0.1.", "0x7F000001"]) {
      const r = await callLookup(lookup, h, {});
      expect(r.err, h).toBeInstanceOf(SsrfBlockedError);
      expect((r.err as SsrfBlockedError).reason).toBe("loopback address 127.0.0.1");
    }
    expect(await callLookup(lookup, "134744072", {})).toEqual({ err: null, address: "8.8.8.8", family: 4 });
    expect(await callLookup(guardedLookup({ allowPrivate: true, resolve }), "0x7f.1", { all: true })).toEqual({ err: null, address: [{ address: "127.0.0.1", family: 4 }], family: undefined });
    expect(resolve).not.toHaveBeenCalled();
  });

  it("refuses localhost names without asking DNS", async () => {
    const resolve = resolver([v4("93.184.216.34")]);
    const r = await callLookup(guardedLookup({ allowPrivate: false, resolve }), "db.localhost", {});
    expect(r.err).toBeInstanceOf(SsrfBlockedError);
    expect(r.err?.message).toBe("Blocked by the SSRF guard: db.localhost is a loopback name");
    expect(resolve).not.toHaveBeenCalled();
  });

  it("refuses when ANY answer is forbidden, whichever position it is in", async () => {
    for (const answers of [
      [v4("93.184.216.34"), v4("127.0.0.1")],
      [v4("10.0.0.7"), v4("93.184.216.34")],
      [v6("2606:4700:4700::1111"), v6("::ffff:169.254.169.254")],
    ]) {
      const r = await callLookup(guardedLookup({ allowPrivate: false, resolve: resolver(answers) }), "mixed.test", { all: true });
      expect(r.err).toBeInstanceOf(SsrfBlockedError);
      expect(r.err?.message).toMatch(/^Blocked by the SSRF guard: mixed\.test resolves to /);
    }
  });

  it("passes the resolver's errors through unchanged, and treats an empty answer as ENOTFOUND", async () => {
    const dnsErr = Object.assign(new Error("getaddrinfo EAI_AGAIN flaky.test"), { code: "EAI_AGAIN" });
    const failing = guardedLookup({ allowPrivate: false, resolve: async () => Promise.reject(dnsErr) });
    expect((await callLookup(failing, "flaky.test", {})).err).toBe(dnsErr);
    const throwsSync = guardedLookup({
      allowPrivate: false,
      resolve: () => {
        throw dnsErr;
      },
    });
    expect((await callLookup(throwsSync, "flaky.test", {})).err).toBe(dnsErr);
    const empty = await callLookup(guardedLookup({ allowPrivate: false, resolve: resolver([]) }), "nothing.test", {});
    expect(empty.err).toMatchObject({ code: "ENOTFOUND", hostname: "nothing.test" });
    expect(isSsrfBlocked(empty.err)).toBe(false);
  });

  it("refuses a resolver answer that is not an IP address, even with private targets allowed", async () => {
    for (const allowPrivate of [false, true]) {
      const r = await callLookup(guardedLookup({ allowPrivate, resolve: resolver([v4("not-an-ip")]) }), "odd.test", {});
      expect(r.err?.code).toBe("EBADRESP");
    }
  });

  it("uses the system resolver by default and pins one of its answers", async () => {
    // localhost is the one name every machine resolves without a network.
    const r = await callLookup(guardedLookup({ allowPrivate: true }), "localhost", { all: true });
    expect(r.err).toBeNull();
    const list = r.address as LookupAddress[];
    expect(list).toHaveLength(1);
    expect(["127.0.0.1", "::1"]).toContain(list[0]!.address);
  });
});

// ---------------------------------------------------------------------------------------------
// Real sockets: a loopback server stands in for the private target; it counts every TCP
// connection it accepts, so "refused" means no connection was ever made.

type Target = { port: number; connections: () => number; close: () => Promise<void> };
const servers: Target[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function loopbackServer(): Promise<Target> {
  let connections = 0;
  const server = http.createServer((_req, res) => res.end("ok"));
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const t: Target = {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  servers.push(t);
  return t;
}

type Outcome = { status?: number; remoteAddress?: string; err?: NodeJS.ErrnoException };

function get(url: string, lookup: LookupFunction): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.get(url, { lookup, agent: false, timeout: 2000 }, (res) => {
      const remoteAddress = res.socket.remoteAddress;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, remoteAddress }));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (err) => resolve({ err }));
  });
}

/**
 * Opens a socket to `host` and reports the address Node is about to connect to (its "lookup"
 * event), then destroys it right there, before connecting: the address may be a public one,
 * and no packet should leave the machine.
 */
function attemptedAddress(host: string, port: number, lookup: LookupFunction, extra: net.NetConnectOpts | object = {}) {
  return new Promise<{ err: Error | null; address?: string; family?: number | string | null }>((resolve) => {
    const sock = net.connect({ host, port, lookup, ...extra });
    sock.on("lookup", (err, address, family) => {
      sock.destroy();
      resolve({ err, address, family });
    });
    sock.on("error", (err) => resolve({ err }));
  });
}

describe("guardedLookup on real sockets", () => {
  it("refuses a name that resolves to loopback before any connection; allowPrivate lets it through", async () => {
    const s = await loopbackServer();
    const resolve = async () => [v4("127.0.0.1")];
    const blocked = await get(`http://internal.test:${s.port}/`, guardedLookup({ allowPrivate: false, resolve }));
    expect(blocked.err).toBeInstanceOf(SsrfBlockedError);
    expect(blocked.err?.message).toBe("Blocked by the SSRF guard: internal.test resolves to loopback address 127.0.0.1");
    expect(s.connections()).toBe(0);

    const ok = await get(`http://internal.test:${s.port}/`, guardedLookup({ allowPrivate: true, resolve }));
    expect(ok).toMatchObject({ status: 200, remoteAddress: "127.0.0.1" });
    expect(s.connections()).toBe(1);
  });

  it("refuses a mixed answer (public + loopback) and the loopback server sees nothing", async () => {
    const s = await loopbackServer();
    const resolve = async () => [v4("93.184.216.34"), v4("127.0.0.1")];
    const r = await get(`http://mixed.test:${s.port}/`, guardedLookup({ allowPrivate: false, resolve }));
    expect(isSsrfBlocked(r.err)).toBe(true);
    expect((r.err as SsrfBlockedError).reason).toBe("mixed.test resolves to loopback address 127.0.0.1");
    expect(s.connections()).toBe(0);
  });

  it("refuses loopback spelled so that Node hands it to lookup (net.connect and tls.connect), in both of Node's lookup modes", async () => {
    const s = await loopbackServer();
    const lookup = guardedLookup({ allowPrivate: false });
    for (const host of ["2130706433", "0x7f.1", "127.1", "0177.0.0.1"]) {
      for (const autoSelectFamily of [true, false]) {
        const r = await attemptedAddress(host, s.port, lookup, { autoSelectFamily });
        expect(r.err, `${host} autoSelectFamily=${autoSelectFamily}`).toBeInstanceOf(SsrfBlockedError);
      }
    }
    const viaTls = await new Promise<Error>((resolve) => {
      const sock = tls.connect({ host: "secure.test", port: s.port, lookup: guardedLookup({ allowPrivate: false, resolve: async () => [v6("::ffff:127.0.0.1")] }) });
      sock.on("error", resolve);
    });
    expect(viaTls).toBeInstanceOf(SsrfBlockedError);
    expect(s.connections()).toBe(0);
  });

  it("Node skips lookup for IP-literal hosts, so those are refused by assertConnectable before connecting", async () => {
    const s = await loopbackServer();
    const url = new URL(`http://127.0.0.1:${s.port}/`);
    expect(() => assertConnectable(url.hostname, false)).toThrow(SsrfBlockedError);
    // A URL's hostname is always canonical (http://2130706433/ → 127.0.0.1), so the same holds there.
    expect(new URL(`http://2130706433:${s.port}/`).hostname).toBe("127.0.0.1");
    expect(s.connections()).toBe(0);
    // Why that separate check exists: with only the lookup guard, the literal is connected to directly.
    const spy = vi.fn(guardedLookup({ allowPrivate: false }));
    const r = await get(url.href, spy as unknown as LookupFunction);
    expect(r.status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
  });

  it("pins the validated answer: a rebinding resolver (public first, loopback after) never gets the socket to loopback", async () => {
    const s = await loopbackServer();
    let calls = 0;
    const rebinding = async () => (calls++ === 0 ? [v4("93.184.216.34")] : [v4("127.0.0.1")]);
    const lookup = guardedLookup({ allowPrivate: false, resolve: rebinding });

    for (const autoSelectFamily of [true, false]) {
      calls = 0;
      const first = await attemptedAddress("rebind.test", s.port, lookup, { autoSelectFamily });
      expect(first).toEqual({ err: null, address: "93.184.216.34", family: 4 });
      expect(calls).toBe(1);
      // The next connection resolves afresh, gets loopback, and is refused.
      const second = await get(`http://rebind.test:${s.port}/`, lookup);
      expect(second.err).toBeInstanceOf(SsrfBlockedError);
      expect(calls).toBe(2);
    }
    expect(s.connections()).toBe(0);
  });

  it("connects to exactly the address it validated, without resolving again", async () => {
    const s = await loopbackServer();
    let calls = 0;
    // Later answers point where nothing listens: if the socket resolved again, it would fail.
    const rebinding = async () => (calls++ === 0 ? [v4("127.0.0.1")] : [v4("127.0.0.2")]);
    const r = await get(`http://pinned.test:${s.port}/`, guardedLookup({ allowPrivate: true, resolve: rebinding }));
    expect(r).toMatchObject({ status: 200, remoteAddress: "127.0.0.1" });
    expect(calls).toBe(1);
    expect(s.connections()).toBe(1);
  });

  it("passes DNS errors through to the request unchanged (executors class them as dns)", async () => {
    const lookup = guardedLookup({
      allowPrivate: false,
      resolve: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND nope.invalid"), { code: "ENOTFOUND" });
      },
    });
    const r = await get("http://nope.invalid/", lookup);
    expect(r.err?.code).toBe("ENOTFOUND");
    expect(isSsrfBlocked(r.err)).toBe(false);
  });
});

describe("resolvePinned (drivers given an address)", () => {
  const resolve = (answers: Record<string, string[]>) => async (h: string) => (answers[h] ?? []).map((address) => ({ address, family: (address.includes(":") ? 6 : 4) as 4 | 6 }));
  it("pins the one checked address of a name, and a literal as written", async () => {
    expect(await resolvePinned("db.example.com", { allowPrivate: false, resolve: resolve({ "db.example.com": ["93.184.216.34"] }) })).toEqual({ address: "93.184.216.34", family: 4 });
    expect(await resolvePinned("[2606:4700::1111]", { allowPrivate: false })).toEqual({ address: "2606:4700::1111", family: 6 });
    expect(await resolvePinned("127.0.0.1", { allowPrivate: true })).toEqual({ address: "127.0.0.1", family: 4 });
  });
  it("refuses loopback, private answers and localhost names unless private targets are allowed", async () => {
    await expect(resolvePinned("127.0.0.1", { allowPrivate: false })).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(resolvePinned("0x7f.1", { allowPrivate: false })).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(resolvePinned("localhost", { allowPrivate: false })).rejects.toBeInstanceOf(SsrfBlockedError);
    await expect(resolvePinned("db.example.com", { allowPrivate: false, resolve: resolve({ "db.example.com": ["93.184.216.34", "10.0.0.5"] }) })).rejects.toThrow(/private address 10\.0\.0\.5/);
  });
});
