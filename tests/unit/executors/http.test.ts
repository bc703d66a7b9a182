import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHttp } from "../../../src/server/checks/executors/http";
import { runCheck } from "../../../src/server/checks/run-check";
import type { ExecOptions, HttpConfig } from "../../../src/server/checks/types";
import { bigBody, echo, type HttpTarget, json, rawJson, redirect, redirectChain, slowBody, slowHeaders, startHttpTarget, text } from "../../helpers/targets/http-target";
import { failingResolve, hangingResolve, resolveTo, slowResolve } from "../../helpers/targets/resolve";
import { closedPort, startTcpTarget } from "../../helpers/targets/tcp-target";
import { expectPhases } from "./expect-timings";

const open: ExecOptions = { allowPrivate: true };
let t: HttpTarget;
let other: HttpTarget; // a second origin (another port), for cross-origin redirects

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
  other = await startHttpTarget({ "/landing": echo(), "/ok": text(200, "other ok") });
  t = await startHttpTarget({
    "/ok": text(200, "<h1>Welcome to the shop</h1>"),
    "/503": text(503, "maintenance"),
    "/504": text(504, "gateway"),
    "/301": text(301, "moved"),
    "/echo": echo(),
    "/created": echo(201),
    "/json": json({ status: "ok", data: { items: [{ name: "a" }, { name: "b" }], tags: ["x", "prod"] }, "key with space": 1, n: 42, live: true, none: null, msg: "all systems go" }),
    "/notjson": rawJson("<html>not json</html>"),
    "/bigjson": bigBody(1024 * 1024 + 10, "}"),
    ...redirectChain("/five", 5, "/ok"),
    ...redirectChain("/six", 6, "/ok"),
    "/loop": redirect("/loop"),
    "/relative/start": redirect("next"), // resolves to /relative/next
    "/relative/next": redirect("../ok", 301),
    "/same-origin-hop": redirect("/echo", 307),
    "/see-other": redirect("/echo", 303),
    "/temporary": redirect("/echo", 307),
    "/moved": redirect("/echo", 301),
    "/bad-location": redirect("http://[bad"),
    "/slow-headers": slowHeaders(1500),
    "/slow-body": slowBody(1500),
    "/slowish": slowHeaders(150, "ok"),
    "/slow-503": (_q, s) => setTimeout(() => (s.writeHead(503), s.end()), 100),
    "/hop-slow/1": (_q, s) => setTimeout(() => (s.writeHead(302, { location: "/hop-slow/2" }), s.end()), 200),
    "/hop-slow/2": (_q, s) => setTimeout(() => (s.writeHead(302, { location: "/hop-slow/3" }), s.end()), 200),
    "/hop-slow/3": (_q, s) => setTimeout(() => s.end("done"), 200),
    "/cut": (_q, s) => {
      s.writeHead(200, { "content-length": "1000" });
      s.write("partial", () => s.socket?.destroy());
    },
    "/big": bigBody(1024 * 1024, "NEEDLE"),
    "/big-early": (_q, s) => {
      s.writeHead(200);
      s.write("EARLY ");
      for (let i = 0; i < 32; i++) s.write("y".repeat(64 * 1024));
      s.end();
    },
  });
});
afterAll(async () => {
  await t.close();
  await other.close();
});

// Cross-origin redirect target, resolved at call time (ports are random).
const toOther = (path: string) => other.url(path);

describe("HTTP: status and timings", () => {
  it("UP on a 2xx, with the phases that happened and the pinned remote address", async () => {
    const r = await runCheck(cfg(), open);
    expect(r).toMatchObject({ outcome: "up", statusCode: 200, remoteAddress: "127.0.0.1" });
    expect(r.errorClass).toBeUndefined();
    expect(r.message).toBeUndefined();
    // An IP literal is not resolved, so there is no DNS phase; plain HTTP has no TLS phase.
    expectPhases(r.timings, ["connectMs", "ttfbMs"], ["dnsMs", "tlsMs"]);
  });

  it("a name gets a DNS phase, and the phases are ordered within the total", async () => {
    const r = await runCheck(cfg({ url: t.url("/slowish", "shop.test") }), { allowPrivate: true, resolve: slowResolve(40) });
    expect(r.outcome).toBe("up");
    expectPhases(r.timings, ["dnsMs", "connectMs", "ttfbMs"], ["tlsMs"]);
    expect(r.timings.dnsMs).toBeGreaterThanOrEqual(35);
    expect(r.timings.ttfbMs).toBeGreaterThanOrEqual(140);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.dnsMs! + r.timings.ttfbMs!);
  });

  it("DOWN (status) outside the expected set, with a readable message", async () => {
    expect(await runCheck(cfg({ url: t.url("/503") }), open)).toMatchObject({ outcome: "down", errorClass: "status", statusCode: 503, message: "Expected status 200-299, got 503" });
  });

  it("honours single codes, ranges and mixed lists", async () => {
    const mixed: HttpConfig["expectedStatus"] = [200, { from: 500, to: 503 }];
    expect((await runCheck(cfg({ url: t.url("/503"), expectedStatus: mixed }), open)).outcome).toBe("up");
    expect(await runCheck(cfg({ url: t.url("/504"), expectedStatus: mixed }), open)).toMatchObject({ outcome: "down", message: "Expected status 200, 500-503, got 504" });
    expect(await runCheck(cfg({ url: t.url("/ok"), expectedStatus: [201] }), open)).toMatchObject({ outcome: "down", message: "Expected status 201, got 200" });
  });

  it("an empty expected list means the default 200-299", async () => {
    expect((await runCheck(cfg({ expectedStatus: [] }), open)).outcome).toBe("up");
    expect((await runCheck(cfg({ url: t.url("/503"), expectedStatus: [] }), open)).message).toBe("Expected status 200-299, got 503");
  });

  it("DEGRADED above the response-time threshold, UP below it", async () => {
    const slow = await runCheck(cfg({ url: t.url("/slowish"), degradedAboveMs: 50 }), open);
    expect(slow).toMatchObject({ outcome: "degraded", statusCode: 200 });
    expect(slow.errorClass).toBeUndefined();
    expect(slow.message).toMatch(/^Responded in \d+ ms, above the 50 ms threshold$/);
    expect(Number(/in (\d+) ms/.exec(slow.message!)![1])).toBe(slow.timings.totalMs);
    expect((await runCheck(cfg({ url: t.url("/slowish"), degradedAboveMs: 5000 }), open)).outcome).toBe("up");
  });

  it("a failing assertion wins over slowness: DOWN, not DEGRADED", async () => {
    expect(await runCheck(cfg({ url: t.url("/slow-503"), degradedAboveMs: 10 }), open)).toMatchObject({ outcome: "down", errorClass: "status" });
  });
});

describe("HTTP: request shape", () => {
  it("sends method, body and custom headers; JSON content type unless one is given", async () => {
    const r = await runCheck(cfg({ url: t.url("/created"), method: "POST", body: '{"a":1}', headers: { "X-Trace": "abc" }, expectedStatus: [201] }), open);
    expect(r.outcome).toBe("up");
    const seen = t.hits("/created").at(-1)!;
    expect(seen).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(seen.headers).toMatchObject({ "x-trace": "abc", "content-type": "application/json", "content-length": "7" });
    expect(seen.headers["user-agent"]).toMatch(/^Perigee\//);

    await runCheck(cfg({ url: t.url("/echo"), method: "PUT", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), open);
    expect(t.hits("/echo").at(-1)).toMatchObject({ method: "PUT", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
  });

  it("never sends a body with GET or HEAD", async () => {
    await runCheck(cfg({ url: t.url("/echo"), method: "GET", body: "ignored" }), open);
    expect(t.hits("/echo").at(-1)).toMatchObject({ method: "GET", body: "" });
    const head = await runCheck(cfg({ url: t.url("/echo"), method: "HEAD", body: "ignored" }), open);
    expect(head).toMatchObject({ outcome: "up", statusCode: 200 });
    expect(t.hits("/echo").at(-1)).toMatchObject({ method: "HEAD", body: "" });
  });

  it("basic and bearer auth arrive as an Authorization header, and never appear in messages", async () => {
    const basic = await runCheck(cfg({ url: t.url("/503"), auth: { kind: "basic", username: "u", password: "s3cret pw" } }), open);
    expect(t.hits("/503").at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from("u:s3cret pw").toString("base64")}`);
    const bearer = await runCheck(cfg({ url: t.url("/503"), auth: { kind: "bearer", token: "tok-123-secret" } }), open);
    expect(t.hits("/503").at(-1)!.headers.authorization).toBe("Bearer tok-123-secret");
    for (const r of [basic, bearer]) {
      expect(r.errorClass).toBe("status");
      expect(JSON.stringify(r)).not.toMatch(/s3cret|tok-123|czNjcmV0/);
    }
  });

  it("configured auth wins over an Authorization header given by hand", async () => {
    await runCheck(cfg({ url: t.url("/echo"), headers: { Authorization: "Bearer stale" }, auth: { kind: "bearer", token: "fresh" } }), open);
    expect(t.hits("/echo").at(-1)!.headers.authorization).toBe("Bearer fresh");
  });
});

describe("HTTP: redirects", () => {
  it("follows 5 redirects and reports the final status", async () => {
    const before = t.seen.length;
    expect(await runCheck(cfg({ url: t.url("/five/1") }), open)).toMatchObject({ outcome: "up", statusCode: 200 });
    expect(t.seen.slice(before).map((s) => s.url)).toEqual(["/five/1", "/five/2", "/five/3", "/five/4", "/five/5", "/ok"]);
  });

  it("a 6th redirect is DOWN with a clear message, after exactly 6 requests", async () => {
    const before = t.seen.length;
    const r = await runCheck(cfg({ url: t.url("/six/1") }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "status", statusCode: 302 });
    expect(r.message).toBe(`Too many redirects (more than 5); the last one pointed to 127.0.0.1:${t.port}`);
    expect(t.seen.length - before).toBe(6);
    expect((await runCheck(cfg({ url: t.url("/loop") }), open)).message).toMatch(/^Too many redirects/);
  });

  it("resolves relative Locations against the current URL", async () => {
    expect(await runCheck(cfg({ url: t.url("/relative/start") }), open)).toMatchObject({ outcome: "up", statusCode: 200 });
    expect(t.hits("/relative/next")).not.toHaveLength(0);
  });

  it("does not follow when told not to: a 3xx is just a status", async () => {
    expect(await runCheck(cfg({ url: t.url("/five/1"), followRedirects: false }), open)).toMatchObject({
      outcome: "down",
      errorClass: "status",
      statusCode: 302,
      message: "Expected status 200-299, got 302",
    });
    expect((await runCheck(cfg({ url: t.url("/five/1"), followRedirects: false, expectedStatus: [302] }), open)).outcome).toBe("up");
    expect(t.hits("/five/2")).toHaveLength(1); // only from the "follows 5" test
  });

  it("303 turns a POST into a GET without a body; 301 too; 307 keeps both", async () => {
    await runCheck(cfg({ url: t.url("/see-other"), method: "POST", body: "payload" }), open);
    expect(t.hits("/echo").at(-1)).toMatchObject({ method: "GET", body: "" });
    await runCheck(cfg({ url: t.url("/moved"), method: "POST", body: "payload" }), open);
    expect(t.hits("/echo").at(-1)).toMatchObject({ method: "GET", body: "" });
    await runCheck(cfg({ url: t.url("/temporary"), method: "POST", body: "payload" }), open);
    expect(t.hits("/echo").at(-1)).toMatchObject({ method: "POST", body: "payload" });
  });

  it("credentials go to the monitor's own origin only, not to a redirect target elsewhere", async () => {
    const hop = await startHttpTarget({ "/": (_q, s) => (s.writeHead(302, { location: toOther("/landing") }), s.end()) });
    try {
      const headers = { Cookie: "session=abc", "X-Team": "ops" };
      const r = await runCheck(cfg({ url: hop.url("/"), headers, auth: { kind: "bearer", token: "tok" } }), open);
      expect(r.outcome).toBe("up");
      expect(hop.hits("/")[0]!.headers).toMatchObject({ authorization: "Bearer tok", cookie: "session=abc", "x-team": "ops" });
      const landed = other.hits("/landing").at(-1)!.headers;
      expect(landed["x-team"]).toBe("ops");
      expect(landed.authorization).toBeUndefined();
      expect(landed.cookie).toBeUndefined();
      // Same origin keeps them.
      await runCheck(cfg({ url: t.url("/same-origin-hop"), auth: { kind: "bearer", token: "tok" } }), open);
      expect(t.hits("/echo").at(-1)!.headers.authorization).toBe("Bearer tok");
    } finally {
      await hop.close();
    }
  });

  it("an unparseable Location is DOWN (status)", async () => {
    expect(await runCheck(cfg({ url: t.url("/bad-location") }), open)).toMatchObject({ outcome: "down", errorClass: "status", statusCode: 302, message: "Redirect (302) to an invalid URL" });
  });
});

describe("HTTP: keyword", () => {
  it("present → UP; missing → DOWN with the keyword in the message", async () => {
    expect((await runCheck(cfg({ keyword: "Welcome" }), open)).outcome).toBe("up");
    expect(await runCheck(cfg({ keyword: "Goodbye" }), open)).toMatchObject({ outcome: "down", errorClass: "keyword", statusCode: 200, message: 'Keyword "Goodbye" not found in the response' });
  });

  it("is a case-sensitive substring match", async () => {
    expect((await runCheck(cfg({ keyword: "to the sh" }), open)).outcome).toBe("up");
    expect((await runCheck(cfg({ keyword: "welcome" }), open)).errorClass).toBe("keyword");
  });

  it("keyword that must be absent", async () => {
    expect(await runCheck(cfg({ keyword: "Welcome", keywordAbsent: true }), open)).toMatchObject({
      outcome: "down",
      errorClass: "keyword",
      message: 'Keyword "Welcome" found in the response, but it must be absent',
    });
    expect((await runCheck(cfg({ keyword: "Error", keywordAbsent: true }), open)).outcome).toBe("up");
  });

  it("reads at most 1 MiB and says so", async () => {
    expect(await runCheck(cfg({ url: t.url("/big"), keyword: "NEEDLE" }), open)).toMatchObject({
      outcome: "down",
      errorClass: "keyword",
      message: 'Keyword "NEEDLE" not found in the first 1 MiB of the response',
    });
    // Found early in a larger body: UP without waiting for the rest of it.
    expect((await runCheck(cfg({ url: t.url("/big-early"), keyword: "EARLY" }), open)).outcome).toBe("up");
  });
});

describe("HTTP: JSON path", () => {
  const j = (over: Partial<HttpConfig>) => runCheck(cfg({ url: t.url("/json"), ...over }), open);

  it.each([
    ["$.status", "ok"],
    ["status", "ok"],
    ["data.items[1].name", "b"],
    ["$.data.items[0].name", "a"],
    ['$["key with space"]', "1"],
    ["$.n", "42"],
    ["$.live", "true"],
    ["$.none", "null"],
  ])("equals: %s is %s", async (jsonPath, jsonExpected) => {
    const r = await j({ jsonPath, jsonExpected, jsonMatch: "equals" });
    expect(r.outcome, r.message).toBe("up");
  });

  it("contains: an element of an array, a substring of a string", async () => {
    expect((await j({ jsonPath: "$.data.tags", jsonExpected: "prod", jsonMatch: "contains" })).outcome).toBe("up");
    expect((await j({ jsonPath: "$.msg", jsonExpected: "systems", jsonMatch: "contains" })).outcome).toBe("up");
    expect(await j({ jsonPath: "$.data.tags", jsonExpected: "pro", jsonMatch: "contains" })).toMatchObject({
      outcome: "down",
      errorClass: "json",
      message: 'JSON path $.data.tags is ["x","prod"], expected it to contain "pro"',
    });
  });

  it("a different value is DOWN (json) with what was found and what was expected", async () => {
    expect(await j({ jsonPath: "$.status", jsonExpected: "degraded" })).toMatchObject({
      outcome: "down",
      errorClass: "json",
      statusCode: 200,
      message: 'JSON path $.status is "ok", expected "degraded"',
    });
    expect((await j({ jsonPath: "$.n", jsonExpected: "43" })).message).toBe('JSON path $.n is 42, expected "43"');
  });

  it("missing path, invalid path, invalid JSON, JSON too large", async () => {
    expect(await j({ jsonPath: "$.nope.deeper", jsonExpected: "x" })).toMatchObject({ errorClass: "json", message: "JSON path $.nope.deeper not found in the response" });
    expect(await j({ jsonPath: "$.data.items[7].name", jsonExpected: "x" })).toMatchObject({ errorClass: "json", message: "JSON path $.data.items[7].name not found in the response" });
    expect((await j({ jsonPath: "$..status", jsonExpected: "ok" })).message).toMatch(/^JSON path \$\.\.status is not valid/);
    expect(await runCheck(cfg({ url: t.url("/notjson"), jsonPath: "$.a", jsonExpected: "b" }), open)).toMatchObject({ outcome: "down", errorClass: "json", message: "The response is not valid JSON" });
    expect((await runCheck(cfg({ url: t.url("/bigjson"), jsonPath: "$.a", jsonExpected: "b" }), open)).message).toBe("The response is larger than 1 MiB, too large to read as JSON");
  });
});

describe("HTTP: failures", () => {
  it("timeout while waiting for the response headers", async () => {
    const r = await runCheck(cfg({ url: t.url("/slow-headers"), timeoutMs: 300 }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "timeout", message: `No answer from 127.0.0.1:${t.port} within 300 ms (while waiting for the response)` });
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(295);
    expect(r.timings.totalMs).toBeLessThan(1200);
  });

  it("timeout while reading the body", async () => {
    const r = await runCheck(cfg({ url: t.url("/slow-body"), timeoutMs: 300 }), open);
    expect(r).toMatchObject({ outcome: "down", errorClass: "timeout", message: `No answer from 127.0.0.1:${t.port} within 300 ms (while reading the body)` });
  });

  it("timeout while resolving", async () => {
    const r = await runCheck(cfg({ url: "http://hang.test/", timeoutMs: 150 }), { allowPrivate: true, resolve: hangingResolve });
    expect(r).toMatchObject({ outcome: "down", errorClass: "timeout", message: "No answer from hang.test within 150 ms (while resolving)" });
  });

  it("one deadline covers every redirect hop", async () => {
    // Each hop answers within 250 ms, but three of them do not fit in 450 ms.
    expect((await runCheck(cfg({ url: t.url("/hop-slow/1"), timeoutMs: 2000 }), open)).outcome).toBe("up");
    expect(await runCheck(cfg({ url: t.url("/hop-slow/1"), timeoutMs: 450 }), open)).toMatchObject({ outcome: "down", errorClass: "timeout" });
  });

  it("connection refused", async () => {
    const port = await closedPort();
    expect(await runCheck(cfg({ url: `http://127.0.0.1:${port}/` }), open)).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection refused by 127.0.0.1:${port}` });
  });

  it("connection reset", async () => {
    const rst = await startTcpTarget("reset");
    try {
      expect(await runCheck(cfg({ url: `http://127.0.0.1:${rst.port}/` }), open)).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection reset by 127.0.0.1:${rst.port}` });
    } finally {
      await rst.close();
    }
  });

  it("a connection cut in the middle of the body", async () => {
    expect(await runCheck(cfg({ url: t.url("/cut") }), open)).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection reset by 127.0.0.1:${t.port}` });
  });

  it("a name that does not resolve is a DNS failure (ENOTFOUND, EAI_AGAIN)", async () => {
    expect(await runCheck(cfg({ url: "http://no-such-host.test/" }), { allowPrivate: true, resolve: resolveTo({}) })).toMatchObject({
      outcome: "down",
      errorClass: "dns",
      message: "DNS lookup failed for no-such-host.test (no such host)",
    });
    expect(await runCheck(cfg({ url: "http://flaky.test/" }), { allowPrivate: true, resolve: failingResolve("EAI_AGAIN") })).toMatchObject({
      errorClass: "dns",
      message: "DNS lookup failed for flaky.test (EAI_AGAIN)",
    });
  });
});

describe("HTTP: SSRF guard", () => {
  it("blocks a loopback literal in any spelling, before connecting", async () => {
    const before = t.seen.length;
    for (const host of ["127.0.0.1", "0x7f.1", "2130706433", "localhost"]) {
      const r = await runCheck(cfg({ url: `http://${host}:${t.port}/ok` }), { allowPrivate: false });
      expect(r.errorClass, host).toBe("blocked");
      expect(r.message).toMatch(/^Blocked by the SSRF guard: /);
    }
    expect(t.seen.length).toBe(before);
  });

  it("blocks a name that resolves to loopback, with the guard's reason", async () => {
    const before = t.seen.length;
    const r = await runCheck(cfg({ url: `http://sneaky.test:${t.port}/ok` }), { allowPrivate: false, resolve: resolveTo({ "sneaky.test": "127.0.0.1" }) });
    expect(r).toMatchObject({ outcome: "down", errorClass: "blocked", message: "Blocked by the SSRF guard: sneaky.test resolves to loopback address 127.0.0.1" });
    expect(t.seen.length).toBe(before);
  });

  /*
   * A redirect from an allowed host to a private one. A hermetic test cannot have a real public
   * first hop (that needs the internet), and with allowPrivate:false any loopback target is
   * refused on hop 0 already — which would prove nothing about later hops. So the test uses the
   * executor's per-hop policy seam: hop 0 stands in for the public site (allowed), every later
   * hop runs under the production rule (allowPrivate:false). The control run, with all hops
   * allowed, shows the same redirect does reach the private target — so the blocked result is
   * the guard at work on the second hop, not some other failure.
   */
  it("re-checks every redirect hop: a public page redirecting to a private address is blocked", async () => {
    const privateSite = await startHttpTarget({ "/secret": text(200, "internal admin") });
    const resolve = resolveTo({ "public.test": "127.0.0.1", "intranet.test": "127.0.0.1" });
    const entry = await startHttpTarget({
      "/to-name": redirect(`http://intranet.test:${privateSite.port}/secret`),
      "/to-literal": redirect(`http://127.0.0.1:${privateSite.port}/secret`),
      "/to-encoded": redirect(`http://0x7f000001:${privateSite.port}/secret`),
    });
    const firstHopOnly = (hop: number) => hop === 0;
    try {
      const viaName = await checkHttp(cfg({ url: `http://public.test:${entry.port}/to-name` }), { allowPrivate: false, resolve }, firstHopOnly);
      expect(viaName).toMatchObject({ outcome: "down", errorClass: "blocked", message: "Blocked by the SSRF guard: intranet.test resolves to loopback address 127.0.0.1" });
      for (const path of ["/to-literal", "/to-encoded"]) {
        const r = await checkHttp(cfg({ url: `http://public.test:${entry.port}${path}` }), { allowPrivate: false, resolve }, firstHopOnly);
        expect(r, path).toMatchObject({ outcome: "down", errorClass: "blocked", message: "Blocked by the SSRF guard: loopback address 127.0.0.1" });
      }
      expect(entry.seen.map((s) => s.url)).toEqual(["/to-name", "/to-literal", "/to-encoded"]);
      expect(privateSite.seen).toHaveLength(0);

      const control = await checkHttp(cfg({ url: `http://public.test:${entry.port}/to-name`, keyword: "internal admin" }), { allowPrivate: false, resolve }, () => true);
      expect(control.outcome).toBe("up");
      expect(privateSite.seen).toHaveLength(1);
    } finally {
      await entry.close();
      await privateSite.close();
    }
  });
});
