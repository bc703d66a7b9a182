import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchApi } from "../../src/web/api-dispatch";
import { apiTenant } from "../helpers/api";

/** The web process serves /api/v1 through this dispatcher (workers/web.ts): real HTTP here. */
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.headers["x-perigee-client-ip"] = "203.0.113.50";
    void dispatchApi(req, res, { production: true }).then((done) => {
      if (!done) res.writeHead(418).end("not the API");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("API dispatcher", () => {
  it("answers a request with a malformed Host header in the error shape, not with a 500", async () => {
    const u = new URL(base);
    for (const host of ["a b", "evil.example/x?y", "[zz]"]) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: u.hostname, port: u.port, path: "/api/v1/monitors", headers: { host } }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
      expect(answer.status, host).toBe(401);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  it("serves a real request with the security headers, and JSON errors for unknown paths and methods", async () => {
    const t = await apiTenant("Dispatch");
    const { key } = await t.key(["monitors:read", "monitors:write"]);
    const created = await fetch(`${base}/api/v1/monitors`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Via HTTP", type: "tcp", host: "127.0.0.1", port: 9, paused: true }),
    });
    expect(created.status).toBe(201);
    const m = (await created.json()) as { id: string };
    const r = await fetch(`${base}/api/v1/monitors/${m.id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ id: m.id, name: "Via HTTP" });
    for (const h of ["x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy", "strict-transport-security", "ratelimit-limit", "x-request-id"]) expect(r.headers.get(h), h).toBeTruthy();
    expect(r.headers.get("cache-control")).toBe("no-store");

    const nf = await fetch(`${base}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${key}` } });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ error: { code: "not_found" } });
    const na = await fetch(`${base}/api/v1/events`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    expect(na.status).toBe(405);
    expect(na.headers.get("allow")).toBe("GET");
    const big = await fetch(`${base}/api/v1/monitors`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: "x".repeat(300_000) });
    expect(big.status).toBe(413);
    const doc = await fetch(`${base}/api/v1/openapi.json`);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe("3.1.0");
    expect((await fetch(`${base}/elsewhere`)).status).toBe(418);
  });
});
