import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/server/checks/run-check";
import type { ExecOptions, HttpConfig } from "../../../src/server/checks/types";
import { makeCa, makeLeaf } from "../../helpers/certs";
import { json, redirect, startHttpTarget, text } from "../../helpers/targets/http-target";

const open: ExecOptions = { allowPrivate: true };
let t: Awaited<ReturnType<typeof startHttpTarget>>;

const cfg = (over: Partial<HttpConfig> = {}): HttpConfig => ({
  type: "http",
  url: t.url("/ok"),
  method: "GET",
  headers: {},
  followRedirects: true,
  expectedStatus: [{ from: 200, to: 299 }],
  timeoutMs: 2000,
  ...over,
});

beforeAll(async () => {
  t = await startHttpTarget({
    "/ok": text(200, "<h1>Welcome to the shop</h1>"),
    "/503": text(503, "maintenance"),
    "/301": text(301, "moved"),
    "/json": json({ status: "ok", data: { items: [{ name: "a" }, { name: "b" }], tags: ["x", "prod"] }, "key with space": 1, n: 42 }),
    "/notjson": text(200, "<html>"),
    "/r1": redirect("/r2"),
    "/r2": redirect("/ok", 301),
    "/loop": redirect("/loop"),
    "/post": (req, res, body) => {
      res.writeHead(201, { "content-type": "text/plain" });
      res.end(`${req.method} ${body}`);
    },
    "/see-other": redirect("/post", 303),
    "/slow-headers": (_q, s) => setTimeout(() => s.end("late"), 1500),
    "/slow-body": (_q, s) => {
      s.writeHead(200);
      s.write("start ");
      setTimeout(() => s.end("end"), 1500);
    },
    "/slowish": (_q, s) => setTimeout(() => s.end("ok"), 120),
    "/big": (_q, s) => {
      s.writeHead(200);
      s.write("x".repeat(1024 * 1024));
      s.end("NEEDLE");
    },
  });
});
afterAll(() => t.close());

describe("HTTP executor: status and timings", () => {
  it("UP on 2xx with ordered timing phases", async () => {
    const r = await runCheck(cfg(), open);
    expect(r).toMatchObject({ outcome: "up", statusCode: 200 });
    expect(r.errorClass).toBeUndefined();
    const { connectMs, ttfbMs, totalMs } = r.timings;
    expect(connectMs).toBeGreaterThanOrEqual(0);
    expect(ttfbMs).toBeGreaterThanOrEqual(0);
    expect(totalMs).toBeGreaterThanOrEqual((connectMs ?? 0) + (ttfbMs ?? 0) - 2);
    expect(r.remoteAddress).toBe("127.0.0.1");
  });
  it("DOWN (status) with a readable message; ranges and lists are honoured", async () => {
    const r = await runCheck(cfg({ url: t.url("/503") }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "status", statusCode: 503, message: "Expected status 200-299, got 503" });
    expect((await runCheck(cfg({ url: t.url("/503"), expectedStatus: [200, { from: 500, to: 503 }] }), open)).outcome).toBe("up");
    expect((await runCheck(cfg({ url: t.url("/301"), followRedirects: false, expectedStatus: [301] }), open)).outcome).toBe("up");
  });
  it("sends method, headers, body, and basic or bearer auth", async () => {
    const r = await runCheck(cfg({ url: t.url("/post"), method: "POST", body: '{"a":1}', headers: { "X-Trace": "abc" }, auth: { kind: "basic", username: "u", password: "p w" }, expectedStatus: [201] }), open);
    expect(r.outcome).toBe("up");
    const seen = t.seen.filter((s) => s.url === "/post").at(-1)!;
    expect(seen.method).toBe("POST");
    expect(seen.body).toBe('{"a":1}');
    expect(seen.headers["x-trace"]).toBe("abc");
    expect(seen.headers.authorization).toBe(`Basic ${Buffer.from("u:p w").toString("base64")}`);
    await runCheck(cfg({ url: t.url("/ok"), auth: { kind: "bearer", token: "tok123" } }), open);
    expect(t.seen.filter((s) => s.url === "/ok").at(-1)!.headers.authorization).toBe("Bearer tok123");
  });
  it("DEGRADED above the response-time threshold", async () => {
    const r = await runCheck(cfg({ url: t.url("/slowish"), degradedAboveMs: 50 }), open);
    expect(r.outcome).toBe("degraded");
    expect(r.message).toMatch(/above the 50 ms threshold/);
  });
});

describe("HTTP executor: redirects", () => {
  it("follows up to 5 and reports the final status", async () => {
    expect(await runCheck(cfg({ url: t.url("/r1") }), open)).toMatchObject({ outcome: "up", statusCode: 200 });
  });
  it("does not follow when told not to", async () => {
    expect(await runCheck(cfg({ url: t.url("/r1"), followRedirects: false }), open)).toMatchObject({ outcome: "down", errorClass: "status", statusCode: 302 });
  });
  it("stops after 5 hops", async () => {
    const r = await runCheck(cfg({ url: t.url("/loop") }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "status" });
    expect(r.message).toMatch(/Too many redirects \(more than 5\)/);
  });
  it("turns a POST into a GET on 303", async () => {
    const r = await runCheck(cfg({ url: t.url("/see-other"), method: "POST", body: "x", expectedStatus: [201] }), open);
    expect(r.outcome).toBe("up");
    expect(t.seen.filter((s) => s.url === "/post").at(-1)!.method).toBe("GET");
  });
  it("re-checks every hop with the SSRF guard: a redirect to the metadata address is blocked", async () => {
    const guard = await startHttpTarget({ "/": redirect("http://169.254.169.254/latest/meta-data/") });
    // The first hop is a name that the test resolver maps to the loopback target; only names are
    // allowed through here, so the literal metadata address in the redirect meets the guard.
    const r = await runCheck(cfg({ url: `http://public.test:${guard.port}/` }), { allowPrivate: false, resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    expect(r.errorClass).toBe("blocked");
    await guard.close();
  });
});

describe("HTTP executor: keyword and JSON", () => {
  it("keyword present / absent", async () => {
    expect((await runCheck(cfg({ keyword: "Welcome" }), open)).outcome).toBe("up");
    const missing = await runCheck(cfg({ keyword: "Goodbye" }), open);
    expect(missing).toMatchObject({ outcome: "down", errorClass: "keyword", message: 'Keyword "Goodbye" not found in the response' });
    const present = await runCheck(cfg({ keyword: "Welcome", keywordAbsent: true }), open);
    expect(present).toMatchObject({ outcome: "down", errorClass: "keyword" });
    expect(present.message).toMatch(/must be absent/);
  });
  it("reads at most 1 MiB and says so", async () => {
    const r = await runCheck(cfg({ url: t.url("/big"), keyword: "NEEDLE" }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "keyword" });
    expect(r.message).toMatch(/first 1 MiB/);
  });
  it("JSON path equals / contains / missing / invalid JSON", async () => {
    const j = (over: Partial<HttpConfig>) => runCheck(cfg({ url: t.url("/json"), ...over }), open);
    expect((await j({ jsonPath: "$.status", jsonExpected: "ok" })).outcome).toBe("up");
    expect((await j({ jsonPath: "data.items[1].name", jsonExpected: "b" })).outcome).toBe("up");
    expect((await j({ jsonPath: '$["key with space"]', jsonExpected: "1" })).outcome).toBe("up");
    expect((await j({ jsonPath: "$.n", jsonExpected: "42" })).outcome).toBe("up");
    expect((await j({ jsonPath: "$.data.tags", jsonExpected: "prod", jsonMatch: "contains" })).outcome).toBe("up");
    expect((await j({ jsonPath: "$.status", jsonExpected: "o", jsonMatch: "contains" })).outcome).toBe("up");
    const wrong = await j({ jsonPath: "$.status", jsonExpected: "degraded" });
    expect(wrong).toMatchObject({ outcome: "down", errorClass: "json", message: 'JSON path $.status is "ok", expected "degraded"' });
    expect((await j({ jsonPath: "$.nope.deeper", jsonExpected: "x" })).message).toBe("JSON path $.nope.deeper not found in the response");
    expect((await runCheck(cfg({ url: t.url("/notjson"), jsonPath: "$.a", jsonExpected: "b" }), open)).message).toBe("The response is not valid JSON");
  });
});

describe("HTTP executor: failures", () => {
  it("timeout while waiting for headers, and while reading the body", async () => {
    const a = await runCheck(cfg({ url: t.url("/slow-headers"), timeoutMs: 300 }), open);
    expect(a).toMatchObject({ outcome: "down", errorClass: "timeout" });
    expect(a.message).toMatch(/within 300 ms \(waiting for the response\)/);
    const b = await runCheck(cfg({ url: t.url("/slow-body"), timeoutMs: 300 }), open);
    expect(b).toMatchObject({ outcome: "down", errorClass: "timeout" });
    expect(b.message).toMatch(/reading the body/);
  });
  it("connection refused", async () => {
    const closed = await startHttpTarget({});
    const port = closed.port;
    await closed.close();
    const r = await runCheck(cfg({ url: `http://127.0.0.1:${port}/` }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection refused by 127.0.0.1:${port}` });
  });
  it("DNS failure", async () => {
    const r = await runCheck(cfg({ url: "http://no-such-host.test/" }), { allowPrivate: false, resolve: async () => { throw Object.assign(new Error("nf"), { code: "ENOTFOUND" }); } });
    expect(r).toMatchObject({ outcome: "down", errorClass: "dns" });
  });
  it("SSRF: loopback literal and a name resolving to loopback are blocked", async () => {
    expect((await runCheck(cfg(), { allowPrivate: false })).errorClass).toBe("blocked");
    const r = await runCheck(cfg({ url: `http://sneaky.test:${t.port}/ok` }), { allowPrivate: false, resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    expect(r.errorClass).toBe("blocked");
    expect(r.message).toMatch(/sneaky\.test resolves to loopback address 127\.0\.0\.1/);
  });
});

describe("HTTPS executor", () => {
  const ca = makeCa();
  let valid: Awaited<ReturnType<typeof startHttpTarget>>;
  let expired: Awaited<ReturnType<typeof startHttpTarget>>;
  let wrongHost: Awaited<ReturnType<typeof startHttpTarget>>;
  let selfSigned: Awaited<ReturnType<typeof startHttpTarget>>;
  let soon: Awaited<ReturnType<typeof startHttpTarget>>;
  beforeAll(async () => {
    const ok = { "/": text(200, "secure") };
    valid = await startHttpTarget(ok, makeLeaf(ca, ["localhost", "127.0.0.1"], -1, 90));
    expired = await startHttpTarget(ok, makeLeaf(ca, ["localhost", "127.0.0.1"], -30, -2));
    wrongHost = await startHttpTarget(ok, makeLeaf(ca, ["other.example"], -1, 90));
    selfSigned = await startHttpTarget(ok, makeLeaf(null, ["localhost", "127.0.0.1"], -1, 90));
    soon = await startHttpTarget(ok, makeLeaf(ca, ["localhost", "127.0.0.1"], -1, 5));
  });
  afterAll(async () => Promise.all([valid, expired, wrongHost, selfSigned, soon].map((x) => x.close())));
  const opts = (): ExecOptions => ({ allowPrivate: true, ca: ca.cert });

  it("UP with a TLS phase and the certificate recorded", async () => {
    const r = await runCheck(cfg({ url: `https://localhost:${valid.port}/` }), opts());
    expect(r.outcome).toBe("up");
    expect(r.timings.tlsMs).toBeGreaterThanOrEqual(0);
    expect(r.certificate).toMatchObject({ subject: "localhost", issuer: "Perigee Test CA", authorized: true });
    expect(r.certificate!.daysRemaining).toBeGreaterThanOrEqual(88);
  });
  it("TLS errors: expired, wrong hostname, untrusted", async () => {
    const e = await runCheck(cfg({ url: `https://localhost:${expired.port}/` }), opts());
    expect(e).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(e.message).toMatch(/expired/);
    const w = await runCheck(cfg({ url: `https://localhost:${wrongHost.port}/` }), opts());
    expect(w).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(w.message).toMatch(/hostname mismatch/i);
    const s = await runCheck(cfg({ url: `https://localhost:${selfSigned.port}/` }), opts());
    expect(s).toMatchObject({ outcome: "down", errorClass: "tls" });
    expect(s.message).toMatch(/self-signed or not issued by a trusted authority/);
  });
  it("ssl_expiry under the threshold on an HTTPS check", async () => {
    const r = await runCheck(cfg({ url: `https://localhost:${soon.port}/`, sslExpiryDays: 14 }), opts());
    expect(r).toMatchObject({ outcome: "down", errorClass: "ssl_expiry" });
    expect(r.message).toMatch(/expires in [45] days/);
  });
});
