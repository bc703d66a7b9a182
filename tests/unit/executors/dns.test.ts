import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shownAnswer } from "../../../src/server/checks/executors/dns";
import { parseResolver } from "../../../src/server/checks/resolver";
import { runCheck } from "../../../src/server/checks/run-check";
import type { DnsConfig } from "../../../src/server/checks/types";
import { startDnsTarget, startSilentResolver } from "../../helpers/targets/dns-target";

let d: Awaited<ReturnType<typeof startDnsTarget>>;
beforeAll(async () => {
  d = await startDnsTarget({
    "shop.test": {
      A: ["93.184.216.34", "93.184.216.35"],
      AAAA: ["2606:2800:220:1:248:1893:25c8:1946"],
      MX: [
        [20, "mx2.shop.test"],
        [10, "mx1.shop.test"],
      ],
      TXT: ["v=spf1 -all", "google-site-verification=AbC"],
      NS: ["ns1.shop.test", "ns2.shop.test"],
    },
    "www.shop.test": { CNAME: "shop.test" },
    "broken.test": { servfail: true },
  });
});
afterAll(() => d.close());

// Every query goes to the loopback test server, so allowPrivate is needed for the resolver address.
const dns = (over: Partial<DnsConfig> = {}) => runCheck({ type: "dns", hostname: "shop.test", recordType: "A", expected: [], resolver: d.resolver, timeoutMs: 1000, ...over }, { allowPrivate: true });

describe("DNS executor against a real DNS server", () => {
  it.each([
    ["A", ["93.184.216.35"]],
    ["A", ["93.184.216.34", "93.184.216.35"]],
    ["AAAA", ["2606:2800:220:1:248:1893:25c8:1946"]],
    ["AAAA", ["2606:2800:0220:0001:0248:1893:25C8:1946"]], // another spelling of the same address
    ["MX", ["mx1.shop.test"]],
    ["MX", ["10 mx1.shop.test", "20 MX2.shop.test."]],
    ["TXT", ["v=spf1 -all"]],
    ["NS", ["NS1.shop.test.", "ns2.shop.test"]],
  ] as const)("%s answers contain %j", async (recordType, expected) => {
    const r = await dns({ recordType, expected: [...expected] });
    expect(r.outcome, r.message).toBe("up");
    expect(r.errorClass).toBeUndefined();
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(0);
  });

  it("CNAME, compared case-insensitively and without the trailing dot", async () => {
    expect((await dns({ hostname: "WWW.shop.test.", recordType: "CNAME", expected: ["Shop.Test."] })).outcome).toBe("up");
  });

  it("no expected values: any answer passes", async () => {
    expect(await dns({ recordType: "MX" })).toMatchObject({ outcome: "up", message: "shop.test MX: 10 mx1.shop.test, 20 mx2.shop.test" });
  });

  it("dns_mismatch lists what was expected, what came back and what is missing", async () => {
    expect(await dns({ expected: ["93.184.216.34", "1.2.3.4"] })).toMatchObject({
      outcome: "down",
      errorClass: "dns_mismatch",
      message: 'shop.test A: expected "93.184.216.34", "1.2.3.4", got "93.184.216.34", "93.184.216.35" (missing "1.2.3.4")',
    });
  });

  it("mismatch details: MX priority counts when given, TXT is case-sensitive, CNAME target differs", async () => {
    expect((await dns({ recordType: "MX", expected: ["20 mx1.shop.test"] })).errorClass).toBe("dns_mismatch");
    expect((await dns({ recordType: "TXT", expected: ["google-site-verification=abc"] })).errorClass).toBe("dns_mismatch");
    expect((await dns({ recordType: "TXT", expected: ["google-site-verification=AbC"] })).outcome).toBe("up");
    expect((await dns({ hostname: "www.shop.test", recordType: "CNAME", expected: ["elsewhere.test"] })).errorClass).toBe("dns_mismatch");
  });

  it("NXDOMAIN, SERVFAIL and no records of the type are dns errors", async () => {
    expect(await dns({ hostname: "nope.test" })).toMatchObject({ outcome: "down", errorClass: "dns", message: "DNS lookup of nope.test A does not exist (NXDOMAIN)" });
    expect(await dns({ hostname: "broken.test" })).toMatchObject({ outcome: "down", errorClass: "dns", message: "DNS lookup of broken.test A failed on the server (SERVFAIL)" });
    expect(await dns({ hostname: "www.shop.test", recordType: "MX" })).toMatchObject({ outcome: "down", errorClass: "dns" });
  });

  it("timeout when the resolver never answers, within the monitor's timeout", async () => {
    const silent = await startSilentResolver();
    try {
      const r = await runCheck({ type: "dns", hostname: "shop.test", recordType: "A", expected: [], resolver: silent.resolver, timeoutMs: 250 }, { allowPrivate: true });
      expect(r).toMatchObject({ outcome: "down", errorClass: "timeout", message: "No DNS answer for shop.test A within 250 ms" });
      expect(r.timings.totalMs).toBeGreaterThanOrEqual(240);
      expect(r.timings.totalMs).toBeLessThan(1000);
      expect(silent.queries()).toBeGreaterThanOrEqual(1);
    } finally {
      await silent.close();
    }
  });

  it("a private resolver address is blocked unless private targets are allowed; an invalid one is refused", async () => {
    const before = d.queries();
    const r = await runCheck({ type: "dns", hostname: "shop.test", recordType: "A", expected: [], resolver: d.resolver, timeoutMs: 1000 }, { allowPrivate: false });
    expect(r).toMatchObject({ outcome: "down", errorClass: "blocked", message: "Blocked by the SSRF guard: resolver is a loopback address 127.0.0.1" });
    expect(d.queries()).toBe(before);
    expect(await dns({ resolver: "dns.example.com" })).toMatchObject({ outcome: "down", errorClass: "dns", message: 'Invalid resolver address "dns.example.com" (expected "ip" or "ip:port")' });
  });
});

describe("parseResolver", () => {
  it.each([
    ["1.1.1.1", { ip: "1.1.1.1", server: "1.1.1.1" }],
    ["127.0.0.1:5353", { ip: "127.0.0.1", server: "127.0.0.1:5353" }],
    ["2606:4700:4700::1111", { ip: "2606:4700:4700::1111", server: "2606:4700:4700::1111" }],
    ["[2606:4700:4700::1111]:53", { ip: "2606:4700:4700::1111", server: "[2606:4700:4700::1111]:53" }],
    ["1.1.1.1:0", null],
    ["1.1.1.1:99999", null],
    ["1.1.1.1:x", null],
    ["resolver.local", null],
    ["", null],
  ])("%s", (spec, want) => {
    expect(parseResolver(spec)).toEqual(want);
  });
});

describe("private DNS zones (private targets disallowed)", () => {
  it.each(["kubernetes.default.svc.cluster.local", "redis", "printer.local", "db.internal", "nas.home.arpa", "router.lan", "api.localhost", "10.in-addr.arpa"])(
    "refuses to resolve %s",
    async (hostname) => {
      const r = await runCheck({ type: "dns", hostname, recordType: "A", expected: [], timeoutMs: 1000 }, { allowPrivate: false });
      expect(r).toMatchObject({ outcome: "down", errorClass: "blocked" });
      expect(r.message).toMatch(/^Blocked by the SSRF guard: .*(single-label|private zone)/);
    },
  );

  it("never echoes private answers: private addresses and private names are masked", () => {
    expect(shownAnswer(["93.184.216.34", "10.0.0.5", "127.0.0.1", "169.254.169.254"], "A", false)).toEqual(["93.184.216.34", "(a private address)", "(a private address)", "(a private address)"]);
    expect(shownAnswer(["2606:4700::1111", "fd00::1", "::1"], "AAAA", false)).toEqual(["2606:4700::1111", "(a private address)", "(a private address)"]);
    expect(shownAnswer(["db.svc.cluster.local", "www.example.com"], "CNAME", false)).toEqual(["(a private name)", "www.example.com"]);
    expect(shownAnswer(["10 mx.corp", "20 mx.example.com"], "MX", false)).toEqual(["(a private name)", "20 mx.example.com"]);
    // Self-hosted installs (private targets allowed) see the answer as it is.
    expect(shownAnswer(["10.0.0.5"], "A", true)).toEqual(["10.0.0.5"]);
  });
});
