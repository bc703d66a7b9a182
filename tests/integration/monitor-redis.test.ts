import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/server/checks/run-check";
import type { ExecOptions } from "../../src/server/checks/types";
import { db } from "../../src/server/db/client";
import { monitors } from "../../src/server/db/schema";
import { openSecrets, toExecutable } from "../../src/server/monitors/config";
import type { RedisConfig } from "../../src/server/monitors/kinds/redis";
import { monitorViewSchema } from "../../src/server/monitors/schema";
import { api, apiTenant } from "../helpers/api";
import { makeCa, makeLeaf } from "../helpers/certs";
import { closedPort } from "../helpers/targets/tcp-target";

const local: RedisConfig = { type: "redis", host: "127.0.0.1", port: 6379, tls: false, timeoutMs: 2000 };
const check = (over: Partial<RedisConfig> = {}, opts: ExecOptions = { allowPrivate: true }) => runCheck({ ...local, ...over }, opts);

/** A loopback RESP server: AUTH against `password` (and `user`), PING answered with `pong`; records the commands. */
async function startResp(o: { password?: string; user?: string; pong?: string; tls?: { key: string; cert: string } } = {}) {
  const commands: string[][] = [];
  const handle = (s: net.Socket) => {
    let authed = !o.password;
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString();
      // Parse complete "*N\r\n($len\r\narg\r\n)*N" commands.
      for (;;) {
        const m = /^\*(\d+)\r\n/.exec(buf);
        if (!m) return;
        let rest = buf.slice(m[0].length);
        const args: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const b = /^\$(\d+)\r\n/.exec(rest);
          if (!b || rest.length < b[0].length + Number(b[1]) + 2) return;
          args.push(rest.slice(b[0].length, b[0].length + Number(b[1])));
          rest = rest.slice(b[0].length + Number(b[1]) + 2);
        }
        buf = rest;
        commands.push(args);
        if (args[0] === "AUTH") {
          const [user, pass] = args.length === 3 ? [args[1], args[2]] : ["default", args[1]];
          authed = pass === o.password && (!o.user || user === o.user);
          s.write(authed ? "+OK\r\n" : "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        } else if (args[0] === "PING") s.write(authed ? (o.pong ?? "+PONG\r\n") : "-NOAUTH Authentication required.\r\n");
      }
    });
    s.on("error", () => undefined);
  };
  const server = o.tls ? tls.createServer({ key: o.tls.key, cert: o.tls.cert }, handle) : net.createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, commands, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("Redis executor", () => {
  it("UP against the local Redis: PING → PONG, with timing phases", async () => {
    const r = await check();
    expect(r.outcome, r.message).toBe("up");
    expect(r.remoteAddress).toBe("127.0.0.1");
    expect(r.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(r.timings.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(r.timings.tlsMs).toBeUndefined();
    expect((r.timings.dnsMs ?? 0) + (r.timings.connectMs ?? 0) + (r.timings.ttfbMs ?? 0)).toBeLessThanOrEqual(r.timings.totalMs);
  });

  it("AUTH with a password (and an ACL user) before PING; a wrong one is DOWN without echoing it", async () => {
    const srv = await startResp({ password: "r3dis-pass", user: "monitor" });
    try {
      expect(await check({ port: srv.port, username: "monitor", password: "r3dis-pass" })).toMatchObject({ outcome: "up" });
      expect(srv.commands.slice(0, 2)).toEqual([["AUTH", "monitor", "r3dis-pass"], ["PING"]]);
      const wrong = await check({ port: srv.port, username: "monitor", password: "wrong-hunter2" });
      expect(wrong).toMatchObject({ outcome: "down", errorClass: "refused", message: "Authentication failed (wrong user name or password)" });
      expect(JSON.stringify(wrong)).not.toContain("hunter2");
      expect(await check({ port: srv.port })).toMatchObject({ outcome: "down", errorClass: "refused", message: "The server requires a password (NOAUTH)" });
    } finally {
      await srv.close();
    }
  });

  it("DOWN on a wrong answer, on a closed port, and on silence", async () => {
    const odd = await startResp({ pong: "+HELLO\r\n" });
    const silent = net.createServer((s) => s.resume().on("error", () => undefined)); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      expect(await check({ port: odd.port })).toMatchObject({ outcome: "down", errorClass: "status", message: 'Expected PONG, got "+HELLO"' });
      const port = await closedPort();
      expect(await check({ port })).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection refused by 127.0.0.1:${port}` });
      const quiet = await check({ port: (silent.address() as AddressInfo).port, timeoutMs: 300 });
      expect(quiet).toMatchObject({ outcome: "down", errorClass: "timeout" });
      expect(quiet.message).toMatch(/within 300 ms \(while waiting for the response\)/);
    } finally {
      await odd.close();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it("TLS: verifies the certificate for the host or the given server name, and times the handshake", async () => {
    const ca = makeCa();
    const srv = await startResp({ tls: makeLeaf(ca, ["cache.example.test"]) });
    try {
      // Connected to the pinned loopback address, verified as cache.example.test.
      const pinned = { allowPrivate: true, ca: ca.cert, resolve: async () => [{ address: "127.0.0.1", family: 4 as const }] };
      const r = await check({ host: "cache.example.test", port: srv.port, tls: true }, pinned);
      expect(r.outcome, r.message).toBe("up");
      expect(r.timings.tlsMs).toBeGreaterThanOrEqual(0);
      expect(await check({ port: srv.port, tls: true, servername: "cache.example.test" }, { allowPrivate: true, ca: ca.cert })).toMatchObject({ outcome: "up" });
      expect(await check({ port: srv.port, tls: true, servername: "other.example.test" }, { allowPrivate: true, ca: ca.cert })).toMatchObject({ outcome: "down", errorClass: "tls" });
      expect(await check({ port: srv.port, tls: true, servername: "cache.example.test" }, { allowPrivate: true })).toMatchObject({ outcome: "down", errorClass: "tls" });
    } finally {
      await srv.close();
    }
  });

  it("the SSRF guard refuses loopback and private answers when private targets are not allowed", async () => {
    for (const host of ["127.0.0.1", "localhost", "2130706433", "[::1]"]) expect(await check({ host }, { allowPrivate: false }), host).toMatchObject({ outcome: "down", errorClass: "blocked" });
    const r = await check({ host: "cache.example.test" }, { allowPrivate: false, resolve: async () => [{ address: "192.168.1.9", family: 4 }] });
    expect(r).toMatchObject({ outcome: "down", errorClass: "blocked", message: "Blocked by the SSRF guard: cache.example.test resolves to private address 192.168.1.9 (192.168.0.0/16)" });
  });
});

describe("Redis monitors through the REST API", () => {
  let t: Awaited<ReturnType<typeof apiTenant>>;
  let key: string;
  beforeAll(async () => {
    t = await apiTenant("Redis Kind");
    key = (await t.key()).key;
  });

  it("creates one with the password sealed, answers the documented view, and runs its check", async () => {
    const c = await api("POST", "/api/v1/monitors", { key, body: { name: "Cache", type: "redis", host: "127.0.0.1", password: "redis-s3cret", paused: true } });
    expect(c.status, c.text).toBe(201);
    const m = monitorViewSchema.parse(c.body);
    expect(m).toMatchObject({ type: "redis", host: "127.0.0.1", port: 6379, tls: false });
    expect(c.text).not.toContain("redis-s3cret");
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(openSecrets(row!.id, row!.secretsEnc)).toEqual({ password: "redis-s3cret" });
    // The local Redis has no password: AUTH is refused, which the check reports.
    expect(await runCheck(toExecutable(row!)!, { allowPrivate: true })).toMatchObject({ outcome: "down", errorClass: "refused" });
    const p = await api("PATCH", `/api/v1/monitors/${m.id}`, { key, body: { password: "" } });
    expect(p.status, p.text).toBe(200);
    const [kept] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(openSecrets(kept!.id, kept!.secretsEnc)).toEqual({ password: "redis-s3cret" });
  });

  it("refuses a server name without TLS, a user without a password, and a field of another kind", async () => {
    const bad = await api("POST", "/api/v1/monitors", { key, body: { name: "x", type: "redis", host: "cache.example.com", username: "u", servername: "cache.example.com", database: "0" } });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { details: Record<string, string[]> } }).error.details).toMatchObject({
      password: ["A user name needs a password (AUTH user password)"],
      servername: ["A server name is used only with TLS"],
      database: ["Does not apply to Redis monitors"],
    });
  });
});
