import { describe, expect, it } from "vitest";
import { api, apiTenant, errorShaped } from "../helpers/api";

// This file's own limit (env is read once per test file's worker).
process.env.API_RATE_LIMIT_PER_MINUTE = "5";

describe("rate limit per key", () => {
  it("answers RateLimit-* headers, then 429 with Retry-After; other keys are unaffected", async () => {
    const t = await apiTenant("Limited");
    const a = (await t.key(["monitors:read"])).key;
    const b = (await t.key(["monitors:read"])).key;
    // Start well inside a one-minute window so the six requests share it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const seen: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await api("GET", "/api/v1/monitors", { key: a });
      seen.push(last.status);
      if (i < 5) {
        expect(last.headers.get("ratelimit-limit")).toBe("5");
        expect(last.headers.get("ratelimit-remaining")).toBe(String(4 - i));
        expect(Number(last.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
      }
    }
    expect(seen).toEqual([200, 200, 200, 200, 200, 429]);
    expect(errorShaped(last!.body)).toBe(true);
    expect((last!.body as { error: { code: string } }).error.code).toBe("rate_limited");
    const retry = Number(last!.headers.get("retry-after"));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(last!.headers.get("ratelimit-remaining")).toBe("0");
    expect((await api("GET", "/api/v1/monitors", { key: b })).status).toBe(200);
  });
});
