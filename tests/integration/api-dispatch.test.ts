import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "../../src/server/env";
import { dispatchApi } from "../../src/web/api-dispatch";
import { errorResponse, mapError } from "../../src/web/api-errors";
import { apiTenant } from "../helpers/api";

// Error lines are what one test reads (env is read once per test file).
process.env.LOG_LEVEL = "error";

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
    for (const h of ["x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy", "strict-transport-security", "ratelimit-limit", "x-request-id"])
      expect(r.headers.get(h), h).toBeTruthy();
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

  it("refuses a body that is not declared JSON, and unknown query parameters, over real HTTP", async () => {
    const t = await apiTenant("Dispatch input");
    const { key } = await t.key(["monitors:write"]);
    const body = JSON.stringify({ name: "Untyped", type: "tcp", host: "127.0.0.1", port: 9, paused: true });
    const post = (headers: Record<string, string>, query = "") =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const u = new URL(base);
        // node:http sends exactly these headers: no Content-Type unless given.
        const req = http.request(
          {
            host: u.hostname,
            port: u.port,
            method: "POST",
            path: `/api/v1/monitors${query}`,
            headers: { authorization: `Bearer ${key}`, "content-length": String(Buffer.byteLength(body)), ...headers },
          },
          (res) => {
            let text = "";
            res.on("data", (c: Buffer) => (text += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    for (const headers of [{}, { "content-type": "text/plain" }] as Record<string, string>[]) {
      const r = await post(headers);
      expect(r.status, JSON.stringify(headers)).toBe(415);
      expect(JSON.parse(r.body).error).toMatchObject({ code: "unsupported_media_type", docs: `${env().APP_URL}/docs/api#error-unsupported_media_type` });
    }
    const q = await post({ "content-type": "application/json" }, "?_method=DELETE");
    expect(q.status).toBe(400);
    expect(JSON.parse(q.body).error.details._method).toBeDefined();
    expect((await post({ "content-type": "application/json" })).status).toBe(201);
  });

  it("an unknown error is logged with the request id and answered as a generic 500 that does not echo it", async () => {
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
    let r: Response;
    let forForm: string;
    try {
      r = errorResponse(new Error("db password is hunter2"), "req-abcdefgh", { route: "/x" });
      forForm = mapError(new Error("x"), "req-abcdefgh").message;
    } finally {
      process.stderr.write = write;
    }
    expect(r.status).toBe(500);
    expect(r.headers.get("x-request-id")).toBe("req-abcdefgh");
    const text = await r.text();
    expect(text).not.toContain("hunter2");
    expect(JSON.parse(text).error).toMatchObject({ code: "internal_error", requestId: "req-abcdefgh", message: expect.stringContaining("req-abcdefgh") });
    const logged = lines.map((l) => JSON.parse(l) as { level: string; requestId: string; err: { message: string } }).find((l) => l.requestId === "req-abcdefgh");
    expect(logged).toMatchObject({ level: "error", err: { message: "db password is hunter2" } });
    // The server actions' forms get the same message from the same mapper.
    expect(forForm).toBe(JSON.parse(text).error.message);
  });
});
