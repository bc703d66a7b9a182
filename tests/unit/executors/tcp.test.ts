import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../../src/server/checks/run-check";
import type { ExecOptions, TcpConfig } from "../../../src/server/checks/types";
import { hangingResolve, resolveTo, slowResolve } from "../../helpers/targets/resolve";
import { closedPort, startTcpTarget } from "../../helpers/targets/tcp-target";
import { expectPhases } from "./expect-timings";

const open: ExecOptions = { allowPrivate: true };
let target: Awaited<ReturnType<typeof startTcpTarget>>;
beforeAll(async () => {
  target = await startTcpTarget("accept");
});
afterAll(() => target.close());

const tcp = (over: Partial<TcpConfig> = {}): TcpConfig => ({ type: "tcp", host: "127.0.0.1", port: target.port, timeoutMs: 1000, ...over });

describe("TCP executor", () => {
  it("UP when the port accepts; connect phase, no DNS phase for a literal", async () => {
    const before = target.connections();
    const r = await runCheck(tcp(), open);
    expect(r).toMatchObject({ outcome: "up", remoteAddress: "127.0.0.1" });
    expect(r.errorClass).toBeUndefined();
    expectPhases(r.timings, ["connectMs"], ["dnsMs", "tlsMs", "ttfbMs"]);
    await new Promise((r) => setTimeout(r, 20));
    expect(target.connections()).toBe(before + 1);
  });

  it("a name gets a DNS phase through the guarded lookup", async () => {
    const r = await runCheck(tcp({ host: "db.test" }), { allowPrivate: true, resolve: resolveTo({ "db.test": "127.0.0.1" }) });
    expect(r.outcome).toBe("up");
    expectPhases(r.timings, ["dnsMs", "connectMs"]);
  });

  it("DOWN (refused) on a closed port", async () => {
    const port = await closedPort();
    expect(await runCheck(tcp({ port }), open)).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection refused by 127.0.0.1:${port}` });
  });

  it("DOWN (dns) when the name does not resolve", async () => {
    expect(await runCheck(tcp({ host: "nope.test" }), { allowPrivate: true, resolve: resolveTo({}) })).toMatchObject({
      outcome: "down",
      errorClass: "dns",
      message: `DNS lookup failed for nope.test:${target.port} (no such host)`,
    });
  });

  /*
   * A connect that hangs cannot be produced on loopback without root (a full accept backlog is
   * not reliable on Linux, and any blackhole address would send packets off the machine). The
   * timeout is one timer over resolve+connect, so it is exercised through a resolver that never
   * answers; the HTTP and SSL suites cover timeouts after the connection is open.
   */
  it("DOWN (timeout) when the monitor's timeout runs out, naming the phase", async () => {
    const r = await runCheck(tcp({ host: "hang.test", timeoutMs: 150 }), { allowPrivate: true, resolve: hangingResolve });
    expect(r).toMatchObject({ outcome: "down", errorClass: "timeout", message: `No answer from hang.test:${target.port} within 150 ms (while resolving)` });
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(145);
  });

  it("DEGRADED above the threshold (slowness made in DNS, which counts toward the total)", async () => {
    const r = await runCheck(tcp({ host: "slow.test", degradedAboveMs: 40 }), { allowPrivate: true, resolve: slowResolve(80) });
    expect(r.outcome).toBe("degraded");
    expect(r.errorClass).toBeUndefined();
    expect(r.message).toMatch(/^Connected in \d+ ms, above the 40 ms threshold$/);
    expect((await runCheck(tcp({ degradedAboveMs: 5000 }), open)).outcome).toBe("up");
  });

  it("blocked by the SSRF guard for loopback literals, encodings, loopback names and names resolving there", async () => {
    const before = target.connections();
    const resolve = resolveTo({ "sneaky.test": "127.0.0.1" });
    for (const host of ["127.0.0.1", "0x7f.1", "2130706433", "localhost", "sneaky.test", "[::1]", "::ffff:127.0.0.1"]) {
      const r = await runCheck(tcp({ host }), { allowPrivate: false, resolve });
      expect(r.errorClass, host).toBe("blocked");
      expect(r.message).toMatch(/^Blocked by the SSRF guard: /);
    }
    expect(target.connections()).toBe(before);
  });
});
