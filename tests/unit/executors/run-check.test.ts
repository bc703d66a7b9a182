import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyError } from "../../../src/server/checks/executors/errors";
import { runCheck } from "../../../src/server/checks/run-check";
import { SsrfBlockedError } from "../../../src/server/checks/ssrf";
import { ERROR_CLASSES, type ExecOptions, type ExecutableConfig } from "../../../src/server/checks/types";
import { startDnsTarget } from "../../helpers/targets/dns-target";
import { startHttpTarget, text } from "../../helpers/targets/http-target";
import { resolveTo } from "../../helpers/targets/resolve";

const errno = (code: string) => Object.assign(new Error(`boom ${code}`), { code });

describe("error classification", () => {
  it.each([
    ["ENOTFOUND", "dns"],
    ["EAI_AGAIN", "dns"],
    ["ECONNREFUSED", "refused"],
    ["ECONNRESET", "refused"],
    ["EHOSTUNREACH", "refused"],
    ["ETIMEDOUT", "timeout"],
    ["CERT_HAS_EXPIRED", "tls"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls"],
    ["HPE_INVALID_CONSTANT", "refused"],
  ])("%s → %s", (code, errorClass) => {
    expect(classifyError(errno(code), "db.example:5432").errorClass).toBe(errorClass);
  });

  it("names the target, never the error's own text", () => {
    expect(classifyError(errno("ECONNREFUSED"), "127.0.0.1:5433").message).toBe("Connection refused by 127.0.0.1:5433");
    expect(classifyError(new Error("password=hunter2"), "x").message).toBe("Internal error while running the check");
  });

  it("the SSRF guard's refusal is 'blocked' with its reason", () => {
    expect(classifyError(new SsrfBlockedError("metadata address 169.254.169.254"), "x")).toEqual({ errorClass: "blocked", message: "Blocked by the SSRF guard: metadata address 169.254.169.254" });
  });

  it("anything unknown is 'internal'", () => {
    for (const e of [new TypeError("x"), null, undefined, "string", 42, { code: 7 }]) expect(classifyError(e, "t").errorClass).toBe("internal");
  });
});

describe("runCheck never throws", () => {
  let http: Awaited<ReturnType<typeof startHttpTarget>>;
  let dns: Awaited<ReturnType<typeof startDnsTarget>>;
  beforeAll(async () => {
    http = await startHttpTarget({ "/": text(200, "ok") });
    dns = await startDnsTarget({ "a.test": { A: ["192.0.2.1"] } });
  });
  afterAll(async () => {
    await http.close();
    await dns.close();
  });

  it("an unknown type, a null config, missing options: DOWN results, not exceptions", async () => {
    const bogus = await runCheck({ type: "ftp" } as unknown as ExecutableConfig, { allowPrivate: true });
    expect(bogus).toMatchObject({ outcome: "down", errorClass: "internal", message: "Unknown monitor type" });
    expect(await runCheck(null as unknown as ExecutableConfig, { allowPrivate: true })).toMatchObject({ outcome: "down", errorClass: "internal", message: "Internal error while running the check" });
    expect(await runCheck({ type: "http", url: http.url("/") } as unknown as ExecutableConfig, undefined as unknown as ExecOptions)).toMatchObject({ outcome: "down", errorClass: "internal" });
  });

  it("an invalid URL is internal, and the URL (which may hold credentials) is not echoed", async () => {
    const r = await runCheck({ type: "http", url: "http://user:hunter2@[::1", method: "GET", headers: {}, followRedirects: true, expectedStatus: [], timeoutMs: 500 }, { allowPrivate: true });
    expect(r).toMatchObject({ outcome: "down", errorClass: "internal", message: "The monitor's URL is not a valid URL" });
    expect(JSON.stringify(r)).not.toContain("hunter2");
  });

  it("a header Node refuses to send is a DOWN result, not an exception", async () => {
    const r = await runCheck({ type: "http", url: http.url("/"), method: "GET", headers: { "bad header": "x" }, followRedirects: true, expectedStatus: [], timeoutMs: 500 }, { allowPrivate: true });
    expect(r).toMatchObject({ outcome: "down", errorClass: "internal", message: "The request headers are not valid HTTP" });
    expect(http.seen).toHaveLength(0);
  });

  it("fuzz: malformed configurations of every type always resolve to a valid result", async () => {
    // Hosts are prefixed so no generated value is an IP literal, names resolve only through the
    // test seam (to loopback or nowhere), and DNS queries go to the loopback test server:
    // nothing generated here can send a packet off the machine.
    const resolve = resolveTo({ "x.test": "127.0.0.1" });
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            type: fc.constantFrom("http", "tcp", "ssl", "dns", "bogus", ""),
            url: fc.oneof(
              fc.string().map((x) => `x${x}`),
              fc.string().map((x) => `http://x${encodeURIComponent(x)}.test/`),
              fc.constant(`${http.url("/")}`),
              fc.constant("http://x.test:1/"),
            ),
            host: fc.oneof(
              fc.string().map((x) => `x${x}`),
              fc.constant("x.test"),
            ),
            port: fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.constant(Number.NaN)),
            hostname: fc.oneof(fc.string(), fc.constant("a.test")),
            resolver: fc.constant(dns.resolver),
            recordType: fc.constantFrom("A", "MX", "TXT", "ZZZ", undefined),
            timeoutMs: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, -1, Number.NaN)),
            expected: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), fc.constant(undefined)),
            expectedStatus: fc.oneof(fc.constant([200]), fc.constant([]), fc.constant(undefined), fc.constant([{ from: 500, to: 100 }])),
            headers: fc.oneof(fc.constant({}), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }), fc.constant(undefined)),
            method: fc.constantFrom("GET", "POST", "BREW", ""),
            jsonPath: fc.option(fc.string()),
            keyword: fc.option(fc.string()),
            body: fc.option(fc.string()),
            followRedirects: fc.boolean(),
          },
          { requiredKeys: ["type", "resolver"] },
        ),
        fc.boolean(),
        async (c, allowPrivate) => {
          const r = await runCheck(c as unknown as ExecutableConfig, { allowPrivate, resolve });
          expect(["up", "degraded", "down"]).toContain(r.outcome);
          expect(typeof r.timings.totalMs).toBe("number");
          if (r.outcome === "down") expect(ERROR_CLASSES).toContain(r.errorClass);
          if (r.errorClass === "internal") expect(r.message).toBeTypeOf("string");
        },
      ),
      { numRuns: 150 },
    );
  });
});
