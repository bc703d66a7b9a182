import net from "node:net";
import tls from "node:tls";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/server/checks/run-check";
import type { ExecOptions, ExecutableConfig } from "../../../src/server/checks/types";
import { makeCa, makeLeaf, type Pem } from "../../helpers/certs";
import { startDnsTarget } from "../../helpers/targets/dns-target";

const open: ExecOptions = { allowPrivate: true };

describe("TCP executor", () => {
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it("UP when the port accepts, with connect timing", async () => {
    const r = await runCheck({ type: "tcp", host: "127.0.0.1", port, timeoutMs: 1000 }, open);
    expect(r.outcome).toBe("up");
    expect(r.timings.connectMs).toBeGreaterThanOrEqual(0);
  });
  it("DOWN (refused) on a closed port", async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const closedPort = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const r = await runCheck({ type: "tcp", host: "127.0.0.1", port: closedPort, timeoutMs: 1000 }, open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "refused" });
  });
  it("DOWN (timeout) when resolution never finishes within the timeout", async () => {
    // No packet leaves the machine: the resolver simply never answers.
    const r = await runCheck({ type: "tcp", host: "hang.test", port: 1, timeoutMs: 200 }, { allowPrivate: true, resolve: () => new Promise(() => undefined) });
    expect(r).toMatchObject({ outcome: "down", errorClass: "timeout" });
    expect(r.message).toMatch(/within 200 ms \(resolving\)/);
  });
  it("is blocked by the SSRF guard for private targets", async () => {
    expect((await runCheck({ type: "tcp", host: "127.0.0.1", port, timeoutMs: 500 }, { allowPrivate: false })).errorClass).toBe("blocked");
    expect((await runCheck({ type: "tcp", host: "0x7f.1", port, timeoutMs: 500 }, { allowPrivate: false })).errorClass).toBe("blocked");
  });
});

describe("SSL certificate executor", () => {
  const ca = makeCa();
  const servers: tls.Server[] = [];
  async function tlsServer(pem: Pem) {
    const s = tls.createServer({ key: pem.key, cert: pem.cert }, (sock) => sock.end());
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    servers.push(s);
    return (s.address() as AddressInfo).port;
  }
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  const check = (port: number, threshold = 14, host = "localhost") => runCheck({ type: "ssl", host, port, expiryThresholdDays: threshold, timeoutMs: 2000 }, { allowPrivate: true, ca: ca.cert });

  it("UP for a valid chain and matching host, with certificate details", async () => {
    const r = await check(await tlsServer(makeLeaf(ca, ["localhost"], -1, 60)));
    expect(r.outcome).toBe("up");
    expect(r.certificate).toMatchObject({ subject: "localhost", issuer: "Perigee Test CA" });
    expect(r.certificate!.daysRemaining).toBeGreaterThanOrEqual(58);
    expect(r.timings.tlsMs).toBeGreaterThanOrEqual(0);
  });
  it("ssl_expiry under the threshold, and for an expired certificate", async () => {
    const soon = await check(await tlsServer(makeLeaf(ca, ["localhost"], -1, 7)), 14);
    expect(soon).toMatchObject({ outcome: "down", errorClass: "ssl_expiry" });
    expect(soon.message).toMatch(/expires in [67] days/);
    const gone = await check(await tlsServer(makeLeaf(ca, ["localhost"], -40, -3)));
    expect(gone).toMatchObject({ outcome: "down", errorClass: "ssl_expiry" });
    expect(gone.message).toMatch(/expired [34] days ago/);
    expect(gone.certificate).toBeDefined();
  });
  it("tls for a hostname mismatch and for an untrusted certificate", async () => {
    const mismatch = await check(await tlsServer(makeLeaf(ca, ["other.example"], -1, 60)));
    expect(mismatch).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(mismatch.message).toMatch(/Hostname mismatch/);
    const untrusted = await check(await tlsServer(makeLeaf(null, ["localhost"], -1, 60)));
    expect(untrusted).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(untrusted.message).toMatch(/not trusted/);
  });
});

describe("DNS executor against a real DNS server", () => {
  let d: Awaited<ReturnType<typeof startDnsTarget>>;
  beforeAll(async () => {
    d = await startDnsTarget({
      "shop.test": { A: ["93.184.216.34", "93.184.216.35"], AAAA: ["2606:2800:220:1:248:1893:25c8:1946"], MX: [[10, "mx1.shop.test"], [20, "mx2.shop.test"]], TXT: ["v=spf1 -all"], NS: ["ns1.shop.test"] },
      "www.shop.test": { CNAME: "shop.test" },
      "broken.test": { servfail: true },
    });
  });
  afterAll(() => d.close());
  const dns = (over: Partial<Extract<ExecutableConfig, { type: "dns" }>>) =>
    runCheck({ type: "dns", hostname: "shop.test", recordType: "A", expected: [], resolver: d.resolver, timeoutMs: 1000, ...over }, open);

  it.each([
    ["A", ["93.184.216.35"]],
    ["AAAA", ["2606:2800:220:1:248:1893:25c8:1946"]],
    ["MX", ["10 mx1.shop.test", "mx2.shop.test."]],
    ["TXT", ["v=spf1 -all"]],
    ["NS", ["NS1.shop.test"]],
  ] as const)("%s resolves to the expected values", async (recordType, expected) => {
    const r = await dns({ recordType, expected: [...expected] });
    expect(r.outcome, r.message).toBe("up");
  });
  it("CNAME", async () => {
    expect((await dns({ hostname: "www.shop.test", recordType: "CNAME", expected: ["shop.test"] })).outcome).toBe("up");
  });
  it("dns_mismatch lists what was expected and what came back", async () => {
    const r = await dns({ expected: ["1.2.3.4"] });
    expect(r).toMatchObject({ outcome: "down", errorClass: "dns_mismatch" });
    expect(r.message).toMatch(/shop\.test A answered "93\.184\.216\.34", "93\.184\.216\.35"; missing "1\.2\.3\.4"/);
  });
  it("NXDOMAIN and SERVFAIL are dns errors", async () => {
    expect(await dns({ hostname: "nope.test" })).toMatchObject({ outcome: "down", errorClass: "dns", message: "DNS lookup of nope.test A does not exist (NXDOMAIN)" });
    expect((await dns({ hostname: "broken.test" })).errorClass).toBe("dns");
  });
  it("a private resolver is blocked unless private targets are allowed", async () => {
    const r = await runCheck({ type: "dns", hostname: "shop.test", recordType: "A", expected: [], resolver: d.resolver, timeoutMs: 1000 }, { allowPrivate: false });
    expect(r.errorClass).toBe("blocked");
  });
});

describe("runCheck never throws", () => {
  it("turns malformed configurations into DOWN results", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          type: fc.constantFrom("http", "tcp", "ssl", "dns", "bogus"),
          // Prefixed so no generated value is an IP literal: nothing may leave the machine.
          url: fc.oneof(fc.string().map((x) => `x${x}`), fc.string().map((x) => `http://x${encodeURIComponent(x)}.test/`)),
          host: fc.string().map((x) => `x${x}`),
          port: fc.integer({ min: -5, max: 70000 }),
          hostname: fc.string().map((x) => `x${x}`),
          resolver: fc.constant("127.0.0.1:1"),
          recordType: fc.constantFrom("A", "MX", "ZZZ"),
          timeoutMs: fc.integer({ min: 1, max: 50 }),
          expected: fc.array(fc.string(), { maxLength: 2 }),
          expectedStatus: fc.constant([200]),
          headers: fc.constant({}),
          method: fc.constantFrom("GET", "POST"),
        }),
        async (c) => {
          // A resolver seam that knows no names, and a loopback DNS resolver the guard refuses.
          const r = await runCheck(c as unknown as ExecutableConfig, { allowPrivate: false, resolve: async () => [] });
          expect(["up", "degraded", "down"]).toContain(r.outcome);
          expect(typeof r.timings.totalMs).toBe("number");
        },
      ),
      { numRuns: 60 },
    );
  });
});
