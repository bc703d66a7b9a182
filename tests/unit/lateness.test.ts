import { describe, expect, it } from "vitest";
import { decodeLateness, encodeLateness } from "../../src/server/monitors/lateness";

describe("lateness code", () => {
  it("keeps milliseconds exact up to 32,767 ms", () => {
    for (const ms of [0, 1, 999, 20_000, 32_767]) expect(decodeLateness(encodeLateness(ms))).toBe(ms);
    expect(encodeLateness(-5)).toBe(0);
  });
  it("keeps whole seconds beyond that instead of saturating at 32.8 s", () => {
    expect(decodeLateness(encodeLateness(32_768))).toBe(33_000);
    expect(decodeLateness(encodeLateness(69_400))).toBe(69_000);
    expect(decodeLateness(encodeLateness(3_600_000))).toBe(3_600_000);
    for (const ms of [40_000, 600_000, 30_000_000]) expect(encodeLateness(ms)).toBeGreaterThanOrEqual(-32768);
  });
  it("saturates only past about 9.1 hours, and stays a smallint", () => {
    expect(decodeLateness(encodeLateness(100 * 3_600_000))).toBe(32_768_000);
    expect(encodeLateness(100 * 3_600_000)).toBe(-32768);
  });
});
