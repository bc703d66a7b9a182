import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { Invalid } from "../../src/server/errors";
import { assertConnectable, assertPublicTarget, classifyAddress, guardedLookup, isSsrfBlocked, parseHostLiteral } from "../../src/server/checks/ssrf";

// [address, allowed]
const TABLE: [string, boolean][] = [
  ["127.0.0.1", false],
  ["127.255.255.254", false],
  ["10.0.0.1", false],
  ["10.255.255.255", false],
  ["172.16.0.1", false],
  ["172.31.255.255", false],
  ["172.15.255.255", true],
  ["172.32.0.0", true],
  ["192.168.1.1", false],
  ["100.64.0.1", false],
  ["100.127.255.255", false],
  ["100.63.255.255", true],
  ["100.128.0.0", true],
  ["169.254.169.254", false],
  ["169.254.0.1", false],
  ["0.0.0.0", false],
  ["0.1.2.3", false],
  ["224.0.0.1", false],
  ["239.255.255.250", false],
  ["255.255.255.255", false],
  ["240.0.0.1", false],
  ["192.0.2.10", false],
  ["198.51.100.7", false],
  ["203.0.113.9", false],
  ["198.18.0.1", false],
  ["1.1.1.1", true],
  ["8.8.8.8", true],
  ["93.184.216.34", true],
  ["::1", false],
  ["::", false],
  ["fc00::1", false],
  ["fd12:3456::1", false],
  ["fe80::1", false],
  ["febf::1", false],
  ["ff02::1", false],
  ["::ffff:127.0.0.1", false],
  ["::ffff:7f00:1", false],
  ["::ffff:10.1.2.3", false],
  ["::ffff:8.8.8.8", true],
  ["::127.0.0.1", false],
  ["64:ff9b::7f00:1", false],
  ["64:ff9b::a9fe:a9fe", false],
  ["64:ff9b::808:808", true],
  ["64:ff9b:1::a00:1", false],
  ["2002:7f00:1::1", false],
  ["2002:0808:0808::1", true],
  ["2001:db8::1", false],
  ["2001:0:4136:e378::1", false],
  ["2606:4700:4700::1111", true],
  ["2a00:1450:4001::200e", true],
  ["fd00:ec2::254", false],
];

describe("classifyAddress", () => {
  it.each(TABLE)("%s → allowed %s", (ip, allowed) => {
    expect(classifyAddress(ip).allowed).toBe(allowed);
  });
  it("names the reason", () => {
    expect(classifyAddress("169.254.169.254")).toEqual({ allowed: false, reason: "cloud metadata address 169.254.169.254" });
    expect(classifyAddress("10.0.0.5")).toMatchObject({ reason: "private address 10.0.0.5" });
    expect(classifyAddress("::ffff:127.0.0.1")).toMatchObject({ reason: expect.stringMatching(/loopback address 127\.0\.0\.1 \(embedded in/) });
  });
});

describe("parseHostLiteral: odd encodings", () => {
  it.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0177.0.0.01", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.1", "127.0.0.1"],
    ["10.1", "10.0.0.1"],
    ["0x0a.0x00.0x00.0x01", "10.0.0.1"],
    ["0XA9.0XFE.0XA9.0XFE", "169.254.169.254"],
    ["2852039166", "169.254.169.254"],
    ["127.0.0.1.", "127.0.0.1"],
    ["0", "0.0.0.0"],
    ["[::1]", "::1"],
    ["[::ffff:127.0.0.1]", "::ffff:127.0.0.1"],
    ["fe80::1%eth0", "fe80::1"],
    ["[FE80::1%25eth0]", "fe80::1"],
  ])("%s → %s", (input, out) => {
    expect(parseHostLiteral(input)).toBe(out);
  });
  it("returns null for names and invalid literals", () => {
    for (const h of ["example.com", "1.2.3.4.5", "256.1.1.1", "0x100000000", "1.2.3.256", "08.1.1.1", "localhost"]) expect(parseHostLiteral(h)).toBeNull();
  });
});

describe("assertPublicTarget (create time)", () => {
  it.each([
    "http://2130706433/",
    "http://0x7f.1/",
    "http://127.1:8080/x",
    "http://[::ffff:127.0.0.1]:8080/",
    "http://[::1]/",
    "http://localhost/",
    "http://api.localhost/",
    "http://169.254.169.254/latest/meta-data/",
    "10.0.0.1",
    "http://0177.0.0.1/",
  ])("refuses %s with a field message", (target) => {
    const e = (() => {
      try {
        assertPublicTarget(target, false, "url");
      } catch (x) {
        return x;
      }
    })() as Invalid;
    expect(e).toBeInstanceOf(Invalid);
    expect(e.fields?.url?.[0]).toMatch(/not allowed here \(self-hosted installs can set ALLOW_PRIVATE_TARGETS=true\)/);
  });
  it("lets public targets and names through, and everything when private targets are allowed", () => {
    expect(() => assertPublicTarget("https://example.com/health", false)).not.toThrow();
    expect(() => assertPublicTarget("http://8.8.8.8/", false)).not.toThrow();
    expect(() => assertPublicTarget("http://127.0.0.1/", true)).not.toThrow();
    expect(() => assertConnectable("127.0.0.1", true)).not.toThrow();
    expect(() => assertConnectable("2130706433", false)).toThrow(/loopback/);
  });
});

describe("guardedLookup (connect time, real sockets)", () => {
  async function loopbackServer() {
    let connections = 0;
    const server = http.createServer((_q, s) => s.end("ok"));
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { port: (server.address() as AddressInfo).port, connections: () => connections, close: () => new Promise((r) => server.close(r)) };
  }
  const get = (url: string, lookup: ReturnType<typeof guardedLookup>) =>
    new Promise<{ status?: number; err?: NodeJS.ErrnoException }>((resolve) => {
      const req = http.get(url, { lookup, agent: false, timeout: 1500 }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode }));
      });
      req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
      req.on("error", (err) => resolve({ err }));
    });

  it("refuses a name resolving to loopback before any connection, and allows it when private targets are allowed", async () => {
    const s = await loopbackServer();
    const resolve = async () => [{ address: "127.0.0.1", family: 4 as const }];
    const blocked = await get(`http://internal.test:${s.port}/`, guardedLookup({ allowPrivate: false, resolve }));
    expect(isSsrfBlocked(blocked.err)).toBe(true);
    expect(blocked.err?.message).toMatch(/internal\.test resolves to loopback address 127\.0\.0\.1/);
    expect(s.connections()).toBe(0);
    const ok = await get(`http://internal.test:${s.port}/`, guardedLookup({ allowPrivate: true, resolve }));
    expect(ok.status).toBe(200);
    expect(s.connections()).toBe(1);
    await s.close();
  });

  it("refuses a mixed answer (public and private)", async () => {
    const s = await loopbackServer();
    const resolve = async () => [
      { address: "93.184.216.34", family: 4 as const },
      { address: "127.0.0.1", family: 4 as const },
    ];
    const r = await get(`http://mixed.test:${s.port}/`, guardedLookup({ allowPrivate: false, resolve }));
    expect(isSsrfBlocked(r.err)).toBe(true);
    expect(s.connections()).toBe(0);
    await s.close();
  });

  it("pins the validated answer: a rebinding resolver never gets a second lookup", async () => {
    const s = await loopbackServer();
    let calls = 0;
    // First answer: the loopback server (allowed only in this test via allowPrivate); later answers: something else.
    const resolve = async () => (calls++ === 0 ? [{ address: "127.0.0.1", family: 4 as const }] : [{ address: "10.0.0.1", family: 4 as const }]);
    const r = await get(`http://rebind.test:${s.port}/`, guardedLookup({ allowPrivate: true, resolve }));
    expect(r.status).toBe(200);
    expect(calls).toBe(1);
    // And the other way round (public first, loopback on any later lookup): the lookup hands the
    // socket the one validated answer. Called directly, so no packet leaves the machine.
    let calls2 = 0;
    const lookup = guardedLookup({ allowPrivate: false, resolve: async () => (calls2++ === 0 ? [{ address: "8.8.8.8", family: 4 }] : [{ address: "127.0.0.1", family: 4 }]) });
    const pinned = await new Promise<string>((resolveP, reject) =>
      (lookup as unknown as (h: string, o: object, cb: (e: Error | null, a: string) => void) => void)("rebind2.test", { all: false }, (e, a) => (e ? reject(e) : resolveP(a))),
    );
    expect(pinned).toBe("8.8.8.8");
    expect(calls2).toBe(1);
    expect(s.connections()).toBe(1);
    await s.close();
  });

  it("passes DNS errors through unchanged", async () => {
    const lookup = guardedLookup({ allowPrivate: false, resolve: async () => { throw Object.assign(new Error("getaddrinfo ENOTFOUND nope.invalid"), { code: "ENOTFOUND" }); } });
    const r = await get("http://nope.invalid/", lookup);
    expect(r.err?.code).toBe("ENOTFOUND");
  });
});
