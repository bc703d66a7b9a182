import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { env } from "../../src/server/env";
import { UNKNOWN_HEARTBEATS_PER_IP_PER_MINUTE } from "../../src/server/services/heartbeats/receive-ping";
import { createMonitor } from "../../src/server/services/monitors/create";
import { setMonitorsPaused } from "../../src/server/services/monitors/set-paused";
import { GET, POST } from "../../src/app/api/heartbeat/[token]/route";
import { apiTenant, countingQueries, errorShaped } from "../helpers/api";

/** The heartbeat URL a customer's cron job calls: answers, the error shape, and the per-address throttle. */
const ping = (token: string, ip: string, method: "GET" | "POST" = "GET") =>
  (method === "GET" ? GET : POST)(new Request(`http://localhost:3000/api/heartbeat/${token}`, { method, headers: { "x-perigee-client-ip": ip } }), { params: Promise.resolve({ token }) });
const madeUp = () => randomBytes(24).toString("base64url");

describe("heartbeat pings", () => {
  it("a ping is recorded; a paused monitor's is 409 and an unknown URL 404, in the one error shape", async () => {
    const t = await apiTenant("Heartbeats");
    const m = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "Nightly", type: "heartbeat", intervalSeconds: 3600 } });
    const token = m.heartbeatUrl!.split("/").pop()!;
    const ok = await ping(token, "198.51.100.30", "POST");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, monitor: "Nightly" });
    await setMonitorsPaused({ ctx: t.ctx.ADMIN, monitorIds: [m.id], paused: true });
    const paused = await ping(token, "198.51.100.30");
    expect(paused.status).toBe(409);
    const pb = await paused.json();
    expect(errorShaped(pb)).toBe(true);
    expect(pb.error).toMatchObject({ code: "conflict", docs: `${env().APP_URL}/docs/api#error-conflict` });
    const unknown = await ping(madeUp(), "198.51.100.30");
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("not_found");
  });

  it("unknown URLs from one address are looked up at most 30 a minute; then 429 with Retry-After and no database query", async () => {
    // Start in a fresh minute window if this one is about to end, so all requests share it.
    if (new Date().getSeconds() > 50) await new Promise((r) => setTimeout(r, (61 - new Date().getSeconds()) * 1000));
    const ip = "203.0.113.90";
    for (let i = 0; i < UNKNOWN_HEARTBEATS_PER_IP_PER_MINUTE; i++) {
      const { result, queries } = await countingQueries(() => ping(madeUp(), ip));
      expect(result.status).toBe(404);
      expect(queries).toBeGreaterThan(0);
    }
    const { result: limited, queries } = await countingQueries(() => ping(madeUp(), ip));
    expect(queries).toBe(0);
    expect(limited.status).toBe(429);
    const body = await limited.json();
    expect(errorShaped(body)).toBe(true);
    expect(body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is unaffected.
    expect((await ping(madeUp(), "203.0.113.91")).status).toBe(404);
  });
});
