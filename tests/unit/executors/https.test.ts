import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/server/checks/run-check";
import type { ExecOptions, HttpConfig } from "../../../src/server/checks/types";
import { makeTestPki } from "../../helpers/certs";
import { type HttpTarget, redirect, startHttpTarget, text } from "../../helpers/targets/http-target";
import { resolveTo } from "../../helpers/targets/resolve";
import { startTcpTarget } from "../../helpers/targets/tcp-target";
import { expectPhases } from "./expect-timings";

const DAY = 86_400_000;
const pki = makeTestPki();
const ok = { "/": text(200, "secure") };
const certs = { valid: pki.valid, expired: pki.expired, soon: pki.expiringIn5Days, notYet: pki.notYetValid, wrongHost: pki.wrongHost, selfSigned: pki.selfSigned };
const t = {} as Record<keyof typeof certs, HttpTarget>;

beforeAll(async () => {
  for (const [name, pem] of Object.entries(certs)) t[name as keyof typeof certs] = await startHttpTarget(ok, pem);
});
afterAll(async () => {
  await Promise.all(Object.values(t).map((x) => x.close()));
});

// "localhost" resolves through the seam, so the DNS phase is measured and never depends on /etc/hosts.
const opts = (over: Partial<ExecOptions> = {}): ExecOptions => ({ allowPrivate: true, ca: pki.ca.cert, resolve: resolveTo({ localhost: "127.0.0.1" }), ...over });
const cfg = (target: HttpTarget, over: Partial<HttpConfig> = {}): HttpConfig => ({
  type: "http",
  url: `https://localhost:${target.port}/`,
  method: "GET",
  headers: {},
  followRedirects: true,
  expectedStatus: [{ from: 200, to: 299 }],
  timeoutMs: 2000,
  ...over,
});

describe("HTTPS: valid certificate", () => {
  it("UP with all five phases in order and the certificate recorded", async () => {
    const r = await runCheck(cfg(t.valid), opts());
    expect(r).toMatchObject({ outcome: "up", statusCode: 200, remoteAddress: "127.0.0.1" });
    expectPhases(r.timings, ["dnsMs", "connectMs", "tlsMs", "ttfbMs"]);
    const c = r.certificate!;
    expect(c).toMatchObject({ subject: "localhost", issuer: "Perigee Test CA", authorized: true });
    expect(c.authorizationError).toBeUndefined();
    expect(c.daysRemaining).toBe(89); // 90 days minus the moments since it was made
    expect(new Date(c.validTo).toISOString()).toBe(c.validTo);
    expect(Date.parse(c.validTo) - Date.parse(c.validFrom)).toBeGreaterThan(90 * DAY);
  });

  it("an IP literal URL verifies against the certificate's IP address entry", async () => {
    const r = await runCheck(cfg(t.valid, { url: `https://127.0.0.1:${t.valid.port}/` }), opts());
    expect(r.outcome, r.message).toBe("up");
    expectPhases(r.timings, ["connectMs", "tlsMs", "ttfbMs"], ["dnsMs"]);
  });

  it("verification is on: without the test CA the same server is untrusted", async () => {
    const r = await runCheck(cfg(t.valid), opts({ ca: undefined }));
    expect(r).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(r.message).toMatch(/self-signed \/ untrusted certificate/);
  });

  it("records the certificate when an http:// URL redirects to https://", async () => {
    const hop = await startHttpTarget({ "/": redirect(`https://localhost:${t.valid.port}/`) });
    try {
      const r = await runCheck(cfg(t.valid, { url: hop.url("/") }), opts());
      expect(r).toMatchObject({ outcome: "up", certificate: { subject: "localhost", authorized: true } });
      expect(r.timings.tlsMs).toBeGreaterThanOrEqual(0);
    } finally {
      await hop.close();
    }
  });
});

describe("HTTPS: TLS failures", () => {
  it("expired certificate", async () => {
    expect(await runCheck(cfg(t.expired), opts())).toMatchObject({ outcome: "down", errorClass: "tls", message: `TLS error with localhost:${t.expired.port}: certificate has expired` });
  });

  it("not yet valid certificate", async () => {
    expect(await runCheck(cfg(t.notYet), opts())).toMatchObject({ outcome: "down", errorClass: "tls", message: `TLS error with localhost:${t.notYet.port}: certificate is not yet valid` });
  });

  it("hostname mismatch", async () => {
    const r = await runCheck(cfg(t.wrongHost), opts());
    expect(r).toMatchObject({
      outcome: "down",
      errorClass: "tls",
      message: `TLS error with localhost:${t.wrongHost.port}: hostname mismatch: localhost is not in the certificate's altnames (DNS:other.example)`,
    });
  });

  it("self-signed (untrusted) certificate", async () => {
    const r = await runCheck(cfg(t.selfSigned), opts());
    expect(r).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(r.message).toBe(`TLS error with localhost:${t.selfSigned.port}: self-signed / untrusted certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`);
  });

  it("timeout during the TLS handshake (a server that accepts and never speaks)", async () => {
    const silent = await startTcpTarget("hold");
    try {
      const r = await runCheck(cfg(t.valid, { url: `https://localhost:${silent.port}/`, timeoutMs: 250 }), opts());
      expect(r).toMatchObject({ outcome: "down", errorClass: "timeout", message: `No answer from localhost:${silent.port} within 250 ms (during the TLS handshake)` });
      expectPhases(r.timings, ["dnsMs", "connectMs"], ["tlsMs", "ttfbMs"]);
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  });
});

describe("HTTPS: certificate expiry threshold", () => {
  it("DOWN (ssl_expiry) when fewer days remain than sslExpiryDays", async () => {
    const r = await runCheck(cfg(t.soon, { sslExpiryDays: 14 }), opts());
    expect(r).toMatchObject({ outcome: "down", errorClass: "ssl_expiry", statusCode: 200, certificate: { daysRemaining: 4 } });
    expect(r.message).toMatch(/^Certificate for localhost expires in 4 days \(\d{4}-\d\d-\d\d\), under the 14-day threshold$/);
  });

  it("UP when enough days remain, or when the threshold is off (0 / unset)", async () => {
    expect((await runCheck(cfg(t.soon, { sslExpiryDays: 3 }), opts())).outcome).toBe("up");
    expect((await runCheck(cfg(t.soon, { sslExpiryDays: 0 }), opts())).outcome).toBe("up");
    expect((await runCheck(cfg(t.soon), opts())).outcome).toBe("up");
  });

  it("uses the injected clock for the arithmetic", async () => {
    const later = Date.now() + 80 * DAY;
    const r = await runCheck(cfg(t.valid, { sslExpiryDays: 14 }), opts({ now: () => later }));
    expect(r).toMatchObject({ outcome: "down", errorClass: "ssl_expiry", certificate: { daysRemaining: 9 } });
  });
});
