import tls from "node:tls";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/server/checks/run-check";
import type { ExecOptions, SslConfig } from "../../../src/server/checks/types";
import { makeTestPki, type Pem } from "../../helpers/certs";
import { resolveTo } from "../../helpers/targets/resolve";
import { closedPort, startTcpTarget } from "../../helpers/targets/tcp-target";
import { expectPhases } from "./expect-timings";

const DAY = 86_400_000;
const pki = makeTestPki();
const servers: tls.Server[] = [];
async function tlsServer(pem: Pem): Promise<number> {
  const s = tls.createServer({ key: pem.key, cert: pem.cert }, (sock) => sock.end());
  s.on("tlsClientError", () => undefined);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  servers.push(s);
  return (s.address() as AddressInfo).port;
}
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

const opts = (over: Partial<ExecOptions> = {}): ExecOptions => ({ allowPrivate: true, ca: pki.ca.cert, resolve: resolveTo({ localhost: "127.0.0.1" }), ...over });
const ssl = (port: number, over: Partial<SslConfig> = {}): SslConfig => ({ type: "ssl", host: "localhost", port, expiryThresholdDays: 14, timeoutMs: 2000, ...over });

describe("SSL certificate executor", () => {
  it("UP for a trusted chain and matching host, with certificate details and phases", async () => {
    const r = await runCheck(ssl(await tlsServer(pki.valid)), opts());
    expect(r).toMatchObject({ outcome: "up", remoteAddress: "127.0.0.1", certificate: { subject: "localhost", issuer: "Perigee Test CA", authorized: true, daysRemaining: 89 } });
    expect(r.certificate!.authorizationError).toBeUndefined();
    expectPhases(r.timings, ["dnsMs", "connectMs", "tlsMs"], ["ttfbMs"]);
  });

  it("an IP host checks the certificate's IP entry; servername overrides the name checked (SNI)", async () => {
    const port = await tlsServer(pki.valid);
    expect((await runCheck(ssl(port, { host: "127.0.0.1" }), opts())).outcome).toBe("up");
    expect((await runCheck(ssl(port, { host: "127.0.0.1", servername: "localhost" }), opts())).outcome).toBe("up");
    expect(await runCheck(ssl(port, { servername: "shop.example" }), opts())).toMatchObject({
      outcome: "down",
      errorClass: "tls",
      message: "Hostname mismatch: shop.example is not in the certificate's altnames (DNS:localhost, IP Address:127.0.0.1)",
    });
  });

  it("ssl_expiry when fewer days remain than the threshold", async () => {
    const port = await tlsServer(pki.expiringIn5Days);
    const r = await runCheck(ssl(port), opts());
    expect(r).toMatchObject({ outcome: "down", errorClass: "ssl_expiry", certificate: { daysRemaining: 4, authorized: true } });
    expect(r.message).toMatch(/^Certificate for localhost expires in 4 days \(\d{4}-\d\d-\d\d\), under the 14-day threshold$/);
    expect((await runCheck(ssl(port, { expiryThresholdDays: 4 }), opts())).outcome).toBe("up");
  });

  it('an expired certificate is ssl_expiry, "expired N days ago", and its details are still recorded', async () => {
    const r = await runCheck(ssl(await tlsServer(pki.expired)), opts());
    expect(r).toMatchObject({ outcome: "down", errorClass: "ssl_expiry", certificate: { subject: "localhost", authorized: false, authorizationError: "CERT_HAS_EXPIRED" } });
    expect(r.message).toMatch(/^Certificate for localhost expired 3 days ago \(\d{4}-\d\d-\d\d\)$/);
  });

  it("uses the injected clock: the same certificate is fine today and expired in 100 days", async () => {
    const port = await tlsServer(pki.valid);
    const later = Date.now() + 100 * DAY;
    const r = await runCheck(ssl(port), opts({ now: () => later }));
    expect(r).toMatchObject({ outcome: "down", errorClass: "ssl_expiry" });
    expect(r.message).toMatch(/expired 10 days ago/);
  });

  it("tls: not yet valid, hostname mismatch, untrusted (self-signed, or CA not given)", async () => {
    expect((await runCheck(ssl(await tlsServer(pki.notYetValid)), opts())).message).toMatch(/^Certificate for localhost is not valid before \d{4}-/);
    const mismatch = await runCheck(ssl(await tlsServer(pki.wrongHost)), opts());
    expect(mismatch).toMatchObject({
      outcome: "down",
      errorClass: "tls",
      message: "Hostname mismatch: localhost is not in the certificate's altnames (DNS:other.example)",
      certificate: { subject: "other.example" },
    });
    const selfSigned = await runCheck(ssl(await tlsServer(pki.selfSigned)), opts());
    expect(selfSigned).toMatchObject({
      outcome: "down",
      errorClass: "tls",
      message: "Certificate is not trusted: self-signed / untrusted certificate (DEPTH_ZERO_SELF_SIGNED_CERT)",
      certificate: { authorized: false },
    });
    const noCa = await runCheck(ssl(await tlsServer(pki.valid)), opts({ ca: undefined }));
    expect(noCa).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(noCa.message).toMatch(/^Certificate is not trusted: self-signed \/ untrusted certificate \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)$/);
  });

  it("timeout during the TLS handshake, refused on a closed port", async () => {
    const silent = await startTcpTarget("hold");
    try {
      expect(await runCheck(ssl(silent.port, { timeoutMs: 200 }), opts())).toMatchObject({
        outcome: "down",
        errorClass: "timeout",
        message: `No answer from localhost:${silent.port} within 200 ms (during the TLS handshake)`,
      });
    } finally {
      await silent.close();
    }
    const port = await closedPort();
    expect(await runCheck(ssl(port), opts())).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection refused by localhost:${port}` });
  });

  it("blocked by the SSRF guard", async () => {
    const port = await tlsServer(pki.valid);
    expect((await runCheck(ssl(port, { host: "127.0.0.1" }), opts({ allowPrivate: false }))).errorClass).toBe("blocked");
    expect(await runCheck(ssl(port, { host: "cert.test" }), opts({ allowPrivate: false, resolve: resolveTo({ "cert.test": "127.0.0.1" }) }))).toMatchObject({
      errorClass: "blocked",
      message: "Blocked by the SSRF guard: cert.test resolves to loopback address 127.0.0.1",
    });
  });
});
