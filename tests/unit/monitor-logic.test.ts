import { describe, expect, it } from "vitest";
import { addSample, bucketOf, merge, percentile } from "../../src/server/monitors/histogram";
import { windowCovers } from "../../src/server/monitors/maintenance";
import { applyRegionResult, monitorStateFrom, quorumOf, transitionOf } from "../../src/server/monitors/state-machine";

describe("latency histogram", () => {
  it("reads percentiles within ±10% of the exact value", () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => 20 + ((i * 7919) % 1000));
    const h: number[] = [];
    samples.forEach((s) => addSample(h, s));
    const sorted = [...samples].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const est = percentile(h, q)!;
      expect(Math.abs(est - exact) / exact).toBeLessThanOrEqual(0.1);
    }
  });
  it("merges element-wise and handles empty input", () => {
    expect(merge([1, 2], [0, 1, 5])).toEqual([1, 3, 5]);
    expect(percentile([], 0.5)).toBeNull();
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(60_000)).toBeLessThanOrEqual(70);
  });
});

describe("state machine", () => {
  const cfg = { confirmations: 2, recoveries: 2 };
  it("confirms DOWN after N failures and recovers after M successes", () => {
    let s = { state: "UP" as const, consecutiveFailures: 0, consecutiveSuccesses: 3 } as Parameters<typeof applyRegionResult>[0];
    s = applyRegionResult(s, "down", cfg);
    expect(s.state).toBe("UP");
    s = applyRegionResult(s, "down", cfg);
    expect(s.state).toBe("DOWN");
    s = applyRegionResult(s, "up", cfg);
    expect(s.state).toBe("DOWN");
    s = applyRegionResult(s, "degraded", cfg);
    expect(s.state).toBe("DEGRADED");
  });
  it("uses a majority quorum by default", () => {
    expect(quorumOf(1, null)).toBe(1);
    expect(quorumOf(2, null)).toBe(2);
    expect(quorumOf(3, null)).toBe(2);
    expect(quorumOf(4, null)).toBe(3);
    expect(quorumOf(3, 5)).toBe(3);
    expect(monitorStateFrom("UP", ["DOWN", "UP", "UP"], 2)).toBe("UP");
    expect(monitorStateFrom("UP", ["DOWN", "DOWN", "UP"], 2)).toBe("DOWN");
    expect(monitorStateFrom("DOWN", ["DOWN", "UP", "PENDING"], 2)).toBe("DOWN");
    expect(monitorStateFrom("PENDING", ["PENDING"], 1)).toBe("PENDING");
  });
  it("names transitions", () => {
    expect(transitionOf("PENDING", "UP")).toBeNull();
    expect(transitionOf("UP", "DOWN")?.kind).toBe("down");
    expect(transitionOf("DOWN", "DEGRADED")?.kind).toBe("recovered");
    expect(transitionOf("UP", "DEGRADED")?.kind).toBe("degraded");
    expect(transitionOf("DEGRADED", "UP")?.kind).toBe("up");
  });
});

describe("maintenance windows", () => {
  const base = { monitorIds: [] as string[], startsAt: null, endsAt: null, weekdays: null, startTime: null, durationMinutes: null, timeZone: "UTC" };
  it("covers a one-off window's interval, start inclusive, end exclusive", () => {
    const w = { ...base, kind: "one_off" as const, startsAt: new Date("2026-11-22T10:00:00Z"), endsAt: new Date("2026-11-22T11:00:00Z") };
    expect(windowCovers(w, "m", new Date("2026-11-22T10:00:00Z"))).toBe(true);
    expect(windowCovers(w, "m", new Date("2026-11-22T11:00:00Z"))).toBe(false);
  });
  it("covers weekly windows in their time zone, across midnight", () => {
    // Sundays 23:30 Berlin for 60 minutes → Monday 00:30 Berlin.
    const w = { ...base, kind: "weekly" as const, weekdays: [7], startTime: "23:30", durationMinutes: 60, timeZone: "Europe/Berlin" };
    expect(windowCovers(w, "m", new Date("2026-11-22T22:45:00Z"))).toBe(true); // Sun 23:45 CET
    expect(windowCovers(w, "m", new Date("2026-11-22T23:15:00Z"))).toBe(true); // Mon 00:15 CET
    expect(windowCovers(w, "m", new Date("2026-11-22T23:45:00Z"))).toBe(false);
    expect(windowCovers(w, "m", new Date("2026-11-21T22:45:00Z"))).toBe(false); // Saturday
  });
  it("only covers listed monitors when a list is given", () => {
    const w = { ...base, kind: "one_off" as const, monitorIds: ["a"], startsAt: new Date(0), endsAt: new Date(8.64e15) };
    expect(windowCovers(w, "a", new Date())).toBe(true);
    expect(windowCovers(w, "b", new Date())).toBe(false);
  });
});

describe("packed result code", () => {
  it("round-trips outcome and error class", async () => {
    const { resultCode, decodeResultCode } = await import("../../src/server/monitors/result-codes");
    for (const r of [
      { outcome: "up" as const },
      { outcome: "degraded" as const },
      { outcome: "down" as const, errorClass: "timeout" as const },
      { outcome: "down" as const, errorClass: "internal" as const },
    ]) {
      expect(decodeResultCode(resultCode(r))).toEqual({ outcome: r.outcome, errorClass: "errorClass" in r ? r.errorClass : null });
    }
  });
});
