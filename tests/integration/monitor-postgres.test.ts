import net, { type AddressInfo } from "node:net";
import tls from "node:tls";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/server/checks/run-check";
import type { ExecOptions } from "../../src/server/checks/types";
import { db } from "../../src/server/db/client";
import { monitors } from "../../src/server/db/schema";
import { openSecrets, toExecutable } from "../../src/server/monitors/config";
import type { PostgresConfig } from "../../src/server/monitors/kinds/postgres";
import { monitorViewSchema } from "../../src/server/monitors/schema";
import { api, apiTenant } from "../helpers/api";
import { makeCa, makeLeaf } from "../helpers/certs";
import { closedPort } from "../helpers/targets/tcp-target";

const local: PostgresConfig = { type: "postgres", host: "127.0.0.1", port: 5432, database: "postgres", username: "postgres", password: "", tlsMode: "disable", timeoutMs: 3000 };
const check = (over: Partial<PostgresConfig> = {}, opts: ExecOptions = { allowPrivate: true }) => runCheck({ ...local, ...over }, opts);

/**
 * A loopback server speaking just enough of the PostgreSQL protocol to ask for a cleartext
 * password and refuse it (the local server trusts every password), recording what it got.
 */
async function startPasswordRefuser(o: { tls?: { key: string; cert: string } } = {}) {
  const passwords: string[] = [];
  const serve = (s: net.Socket) => {
    let buf = Buffer.alloc(0);
    let started = false;
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      // SSLRequest: "S" and a TLS handshake when this server has a certificate, "N" otherwise.
      if (!started && buf.length >= 8 && buf.readInt32BE(0) === 8 && buf.readInt32BE(4) === 80877103) {
        buf = buf.subarray(8);
        if (!o.tls) return void s.write("N");
        s.removeListener("data", onData);
        s.write("S", () => serve(new tls.TLSSocket(s, { isServer: true, key: o.tls!.key, cert: o.tls!.cert })));
        return;
      }
      if (!started && buf.length >= 8 && buf.length >= buf.readInt32BE(0)) {
        buf = buf.subarray(buf.readInt32BE(0));
        started = true;
        s.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])); // AuthenticationCleartextPassword
      }
      if (started && buf.length >= 5 && buf[0] === 0x70 && buf.length >= 1 + buf.readInt32BE(1)) {
        passwords.push(buf.subarray(5, 1 + buf.readInt32BE(1) - 1).toString());
        buf = buf.subarray(1 + buf.readInt32BE(1));
        const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed for user "postgres"\0\0');
        const head = Buffer.alloc(5);
        head[0] = 0x45; // ErrorResponse
        head.writeInt32BE(4 + fields.length, 1);
        s.end(Buffer.concat([head, fields]));
      }
    };
    s.on("data", onData);
    s.on("error", () => undefined);
  };
  const server = net.createServer(serve);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, passwords, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("PostgreSQL executor against the local server", () => {
  const seq = `perigee_check_seq_${process.pid}`;
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ host: "127.0.0.1", port: 5432, user: "postgres", database: "postgres" });
    await admin.connect();
    await admin.query(`CREATE SEQUENCE IF NOT EXISTS ${seq}`);
  });
  afterAll(async () => {
    await admin.query(`DROP SEQUENCE IF EXISTS ${seq}`);
    await admin.end();
  });

  it("UP with a session, and with a query that returns a row; timing phases add up", async () => {
    const r = await check();
    expect(r.outcome, r.message).toBe("up");
    expect(r.remoteAddress).toBe("127.0.0.1");
    expect(r.timings.dnsMs).toBeGreaterThanOrEqual(0);
    expect(r.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(r.timings.tlsMs).toBeUndefined();
    const sum = (r.timings.dnsMs ?? 0) + (r.timings.connectMs ?? 0) + (r.timings.ttfbMs ?? 0);
    expect(sum).toBeLessThanOrEqual(r.timings.totalMs);
    const q = await check({ query: "SELECT datname FROM pg_database WHERE datname = 'postgres';" });
    expect(q.outcome, q.message).toBe("up");
  });

  it("DOWN when the query returns no rows, naming it", async () => {
    expect(await check({ query: "SELECT 1 WHERE false" })).toMatchObject({ outcome: "down", errorClass: "status", message: "The query returned no rows" });
  });

  it("the query runs read-only and as one statement: a write or a second statement fails", async () => {
    const before = (await admin.query(`SELECT last_value, is_called FROM ${seq}`)).rows[0];
    expect(await check({ query: `SELECT nextval('${seq}')` })).toMatchObject({ outcome: "down", message: "The query tried to write; only read-only queries can be run" });
    const smuggled = await check({ query: "SELECT 1; COMMIT; SELECT nextval('" + seq + "')" });
    expect(smuggled.outcome).toBe("down");
    expect((await admin.query(`SELECT last_value, is_called FROM ${seq}`)).rows[0]).toEqual(before);
  });

  it("a query slower than the timeout is cancelled by statement_timeout", async () => {
    const r = await check({ query: "SELECT pg_sleep(5)", timeoutMs: 600 });
    expect(r).toMatchObject({ outcome: "down", errorClass: "timeout" });
  });

  it("DOWN when the database does not exist", async () => {
    expect(await check({ database: "perigee_no_such_db" })).toMatchObject({ outcome: "down", errorClass: "refused", message: 'Database "perigee_no_such_db" does not exist' });
  });

  it("DOWN on a wrong password, without echoing it", async () => {
    const srv = await startPasswordRefuser();
    try {
      const r = await check({ port: srv.port, password: "hunter2-wrong" });
      expect(r).toMatchObject({ outcome: "down", errorClass: "refused", message: 'Authentication failed for user "postgres" (wrong user name or password)' });
      expect(srv.passwords).toEqual(["hunter2-wrong"]);
      expect(JSON.stringify(r)).not.toContain("hunter2");
    } finally {
      await srv.close();
    }
  });

  it("DOWN when the port is closed, and when TLS is required but the server has none", async () => {
    const port = await closedPort();
    expect(await check({ port })).toMatchObject({ outcome: "down", errorClass: "refused", message: `Connection refused by 127.0.0.1:${port}` });
    const srv = await startPasswordRefuser();
    try {
      expect(await check({ port: srv.port, tlsMode: "require" })).toMatchObject({ outcome: "down", errorClass: "tls", message: `127.0.0.1:${srv.port} does not support TLS (TLS mode require)` });
      expect(srv.passwords).toEqual([]);
    } finally {
      await srv.close();
    }
  });

  it("TLS: verify-full checks the certificate against the host name while connecting to the pinned address", async () => {
    const ca = makeCa();
    const srv = await startPasswordRefuser({ tls: makeLeaf(ca, ["db.example.test"]) });
    const pinned = { allowPrivate: true, resolve: async () => [{ address: "127.0.0.1", family: 4 as const }] };
    try {
      // The handshake succeeds (then the password is refused): the TLS phase is timed and the password went over TLS.
      const ok = await check({ host: "db.example.test", port: srv.port, tlsMode: "verify-full", tlsCa: ca.cert, password: "over-tls" }, pinned);
      expect(ok).toMatchObject({ outcome: "down", errorClass: "refused", message: 'Authentication failed for user "postgres" (wrong user name or password)' });
      expect(ok.timings.tlsMs).toBeGreaterThanOrEqual(0);
      expect(srv.passwords).toEqual(["over-tls"]);
      // Without the CA, or for another name, verify-full refuses before sending anything.
      expect(await check({ host: "db.example.test", port: srv.port, tlsMode: "verify-full" }, pinned)).toMatchObject({ outcome: "down", errorClass: "tls" });
      expect(await check({ host: "other.example.test", port: srv.port, tlsMode: "verify-full", tlsCa: ca.cert }, pinned)).toMatchObject({ outcome: "down", errorClass: "tls" });
      // require encrypts without verifying.
      expect(await check({ host: "other.example.test", port: srv.port, tlsMode: "require", password: "p2" }, pinned)).toMatchObject({ outcome: "down", errorClass: "refused" });
      expect(srv.passwords).toEqual(["over-tls", "p2"]);
    } finally {
      await srv.close();
    }
  });

  it("the SSRF guard refuses loopback (in any spelling) when private targets are not allowed, before connecting", async () => {
    for (const host of ["127.0.0.1", "localhost", "0x7f.1", "[::1]"]) {
      const r = await check({ host }, { allowPrivate: false });
      expect(r, host).toMatchObject({ outcome: "down", errorClass: "blocked" });
    }
    // A name is resolved once and the driver is given the checked address.
    const pinned = await check({ host: "db.example.test" }, { allowPrivate: true, resolve: async () => [{ address: "127.0.0.1", family: 4 }] });
    expect(pinned).toMatchObject({ outcome: "up", remoteAddress: "127.0.0.1" });
    const rebinding = await check({ host: "db.example.test" }, { allowPrivate: false, resolve: async () => [{ address: "10.0.0.7", family: 4 }] });
    expect(rebinding).toMatchObject({ outcome: "down", errorClass: "blocked", message: "Blocked by the SSRF guard: db.example.test resolves to private address 10.0.0.7 (10.0.0.0/8)" });
  });
});

describe("PostgreSQL monitors through the REST API", () => {
  let t: Awaited<ReturnType<typeof apiTenant>>;
  let key: string;
  beforeAll(async () => {
    t = await apiTenant("Postgres Kind");
    key = (await t.key()).key;
  });

  it("creates one with the password sealed, answers the documented view, and runs its check", async () => {
    const c = await api("POST", "/api/v1/monitors", {
      key,
      body: { name: "Orders DB", type: "postgres", host: "127.0.0.1", database: "postgres", username: "postgres", password: "pg-s3cret", tlsMode: "disable", query: "SELECT 1", paused: true },
    });
    expect(c.status, c.text).toBe(201);
    const m = monitorViewSchema.parse(c.body);
    expect(m).toMatchObject({ type: "postgres", host: "127.0.0.1", port: 5432, database: "postgres", username: "postgres", tlsMode: "disable", query: "SELECT 1" });
    expect(c.text).not.toContain("pg-s3cret");
    const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(JSON.stringify(row!.config)).not.toContain("pg-s3cret");
    expect(openSecrets(row!.id, row!.secretsEnc)).toEqual({ password: "pg-s3cret" });
    const exec = toExecutable(row!);
    expect(exec).toMatchObject({ type: "postgres", password: "pg-s3cret", timeoutMs: 10_000 });
    expect(await runCheck(exec!, { allowPrivate: true })).toMatchObject({ outcome: "up" });

    // PATCH merges onto the stored monitor: the password stays unless a new one is sent.
    const p = await api("PATCH", `/api/v1/monitors/${m.id}`, { key, body: { database: "other", password: "••••••" } });
    expect(p.status, p.text).toBe(200);
    const [after] = await db().select().from(monitors).where(eq(monitors.id, m.id));
    expect(openSecrets(after!.id, after!.secretsEnc)).toEqual({ password: "pg-s3cret" });
  });

  it("refuses a write query, a CA without verify-full, a missing host, and a field of another kind", async () => {
    const bad = await api("POST", "/api/v1/monitors", { key, body: { name: "x", type: "postgres", query: "DELETE FROM orders", tlsCa: "nope", url: "https://example.com/" } });
    expect(bad.status).toBe(400);
    const details = (bad.body as { error: { details: Record<string, string[]> } }).error.details;
    expect(details).toMatchObject({
      host: ["Host is required"],
      query: ["Only a read-only SELECT query can be run"],
      tlsCa: ["Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)", "A CA certificate is used only with TLS mode verify-full"],
      url: ["Does not apply to PostgreSQL monitors"],
    });
  });
});
