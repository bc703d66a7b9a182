import { describe, expect, it } from "vitest";
import { assertTargetsAllowed } from "../../src/server/monitors/targets";
import { monitorInputSchema } from "../../src/server/monitors/schema";

const dns = (resolver: string) => monitorInputSchema.safeParse({ name: "d", type: "dns", hostname: "example.com", resolver });

describe("DNS resolver targets", () => {
  it("accepts IPv4, IPv4:port, bare IPv6 and [IPv6]:port", () => {
    for (const r of ["1.1.1.1", "1.1.1.1:53", "2606:4700::1111", "[2606:4700::1111]:5353"]) expect(dns(r).success, r).toBe(true);
  });
  it("refuses malformed resolvers on the resolver field", () => {
    for (const r of ["1.2.3", "1.1.1.1:0", "[::1", "::g"]) {
      const res = dns(r);
      expect(res.success, r).toBe(false);
      expect(
        res.error!.issues.some((i) => i.path[0] === "resolver"),
        r,
      ).toBe(true);
    }
  });
  it("judges bare IPv6 loopback as loopback, not as a mangled string", () => {
    for (const r of ["::1", "[::1]:53", "127.0.0.1:53", "10.0.0.5"]) {
      const parsed = dns(r);
      expect(parsed.success, r).toBe(true);
      expect(() => assertTargetsAllowed(parsed.data!), r).toThrow(/resolver|private|loopback/i);
    }
    expect(() => assertTargetsAllowed(dns("2606:4700::1111").data!)).not.toThrow();
  });
});

describe("HTTP URL targets", () => {
  const refusal = (url: string) => {
    const parsed = monitorInputSchema.safeParse({ name: "h", type: "http", url });
    expect(parsed.success, url).toBe(true);
    try {
      assertTargetsAllowed(parsed.data!);
    } catch (e) {
      return (e as { fields?: unknown }).fields;
    }
    return undefined;
  };
  it("a URL without // is judged by the host a URL parser sees, with the same answer as with //", () => {
    for (const [url, canonical] of [
      ["http:/127.0.0.1/", "http://127.0.0.1/"],
      ["http:127.0.0.1/", "http://127.0.0.1/"],
      ["http:\\\\127.0.0.1\\", "http://127.0.0.1/"],
      ["https:/[::1]/", "https://[::1]/"],
      ["http:/169.254.169.254/", "http://169.254.169.254/"],
    ]) {
      expect(refusal(canonical!), canonical).toBeDefined();
      expect(refusal(url!), url).toEqual(refusal(canonical!));
    }
  });
});

describe("DNS names (private targets disallowed)", () => {
  const create = (hostname: string) => {
    const parsed = monitorInputSchema.safeParse({ name: "d", type: "dns", hostname });
    expect(parsed.success, hostname).toBe(true);
    return () => assertTargetsAllowed(parsed.data!);
  };
  it("refuses single-label and reserved names on the hostname field", () => {
    for (const h of ["kubernetes.default.svc.cluster.local", "kubernetes", "printer.local", "metadata.google.internal", "x.svc", "nas.home.arpa", "router.lan", "foo.localhost", "Printer.LOCAL."]) {
      expect(create(h), h).toThrow(expect.objectContaining({ fields: { hostname: [expect.stringMatching(/(single-label name|private zone).*not allowed here/)] } }));
    }
  });
  it("accepts public names", () => {
    for (const h of ["example.com", "mail.example.co.uk", "localdomain.example.com"]) expect(create(h), h).not.toThrow();
  });
});
