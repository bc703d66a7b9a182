import { randomUUID } from "node:crypto";
import { db } from "../../src/server/db/client";
import { monitors, type Monitor } from "../../src/server/db/schema";
import type { CheckResult } from "../../src/server/checks/types";
import type { ResultInput } from "../../src/server/monitors/record-results";

/** Inserts a monitor row directly (no scheduler), for engine tests. */
export async function insertMonitor(orgId: string, over: Partial<typeof monitors.$inferInsert> = {}): Promise<Monitor> {
  const [m] = await db()
    .insert(monitors)
    .values({
      id: randomUUID(),
      organizationId: orgId,
      name: "API",
      type: "http",
      config: { url: "http://127.0.0.1:9/", method: "GET", expectedStatus: [{ from: 200, to: 299 }] },
      intervalSeconds: 60,
      timeoutMs: 5000,
      confirmations: 2,
      recoveries: 1,
      ...over,
    })
    .returning();
  return m!;
}

export const up = (totalMs = 120): CheckResult => ({ outcome: "up", statusCode: 200, timings: { totalMs, ttfbMs: totalMs - 10, connectMs: 2, dnsMs: 1 } });
export const down = (message = "Expected status 200-299, got 503"): CheckResult => ({ outcome: "down", statusCode: 503, errorClass: "status", message, timings: { totalMs: 50 } });
export const degraded = (totalMs = 4000): CheckResult => ({ outcome: "degraded", statusCode: 200, timings: { totalMs }, message: "slow" });

let clock = Date.UTC(2026, 10, 22, 12, 0, 0);
/** Successive slots a minute apart, unique per call across the test file. */
export function slot(): Date {
  clock += 60_000;
  return new Date(clock);
}

export function res(monitorId: string, result: CheckResult, region = "default", at = slot()): ResultInput {
  return { monitorId, region, scheduledAt: at, startedAt: new Date(at.getTime() + 5), result };
}
