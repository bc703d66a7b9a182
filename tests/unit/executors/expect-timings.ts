import { expect } from "vitest";
import type { Timings } from "../../../src/server/checks/types";

const PHASES = ["dnsMs", "connectMs", "tlsMs", "ttfbMs"] as const;

/**
 * Phases are durations that happen one after another, so their running sums are ordered:
 * dns ≤ dns+connect ≤ dns+connect+tls ≤ … ≤ total. `present` must be there, `absent` must not.
 */
export function expectPhases(t: Timings, present: (typeof PHASES)[number][], absent: (typeof PHASES)[number][] = []) {
  for (const k of present) {
    expect(t[k], k).toBeTypeOf("number");
    expect(t[k]!, k).toBeGreaterThanOrEqual(0);
  }
  for (const k of absent) expect(t[k], k).toBeUndefined();
  let sum = 0;
  for (const k of PHASES) {
    sum += t[k] ?? 0;
    expect(sum, `sum up to ${k}`).toBeLessThanOrEqual(t.totalMs);
  }
}
