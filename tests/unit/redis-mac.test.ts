import { afterEach, describe, expect, it, vi } from "vitest";
import { verifiedValue, withMac } from "../../src/server/auth/redis-mac";
import { log } from "../../src/server/log";

afterEach(() => vi.restoreAllMocks());

describe("MAC'd Redis values", () => {
  it("round-trips a value at its own key", () => {
    const v = JSON.stringify({ userId: "u1", attempts: 0 });
    expect(verifiedValue("signin2fa:abc", withMac("signin2fa:abc", v))).toBe(v);
    expect(verifiedValue("k", withMac("k", ""))).toBe("");
  });

  it("a missing entry is a plain miss, not logged", () => {
    const warn = vi.spyOn(log, "warn");
    expect(verifiedValue("k", null)).toBeNull();
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ["no MAC at all", (k: string, v: string) => v],
    ["a made-up MAC", (_k: string, v: string) => `m1.${"A".repeat(43)}.${v}`],
    ["an edited value", (k: string, v: string) => withMac(k, v).replace("u1", "u2")],
    ["a genuine entry of another key", (_k: string, v: string) => withMac("signin2fa:other", v)],
    ["a truncated MAC", (k: string, v: string) => withMac(k, v).replace(/^m1\.(.{42})./, "m1.$1")],
  ])("refuses %s, and logs the key's kind only", (_name, forge) => {
    const warn = vi.spyOn(log, "warn");
    const key = `signin2fa:${"f".repeat(64)}`;
    expect(verifiedValue(key, forge(key, JSON.stringify({ userId: "u1" })))).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/integrity/), { kind: "signin2fa" });
  });
});
