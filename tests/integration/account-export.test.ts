import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flushAccessLog } from "../../src/server/api/access-log";
import { db } from "../../src/server/db/client";
import { invitations, monitors, statusSubscribers } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { EXPORT_BATCH_ROWS } from "../../src/server/privacy/export";
import { exportDocumentSchema } from "../../src/server/privacy/export-schema";
import { exportAccount } from "../../src/server/services/account/export";
import { createApiKey } from "../../src/server/services/api-keys/create";
import { createChannel } from "../../src/server/services/channels/create";
import { createMonitor } from "../../src/server/services/monitors/create";
import { dispatchApi } from "../../src/web/api-dispatch";
import { api } from "../helpers/api";
import { addMember, createTenant, meta } from "../helpers/factories";
import { down, res, up } from "../helpers/monitor-factory";
import { insertComponent, insertIncident, insertPage } from "../helpers/status-factory";

type Doc = ReturnType<typeof exportDocumentSchema.parse>;

/** A tenant with one of everything, each carrying secrets that must never be exported in clear. */
async function plant(tag: string) {
  const t = await createTenant(`${tag} Org`);
  const secret = (what: string) => `${tag}-${what}-${Math.random().toString(36).slice(2, 12)}`;
  const s = { header: secret("hdr"), password: secret("pw"), token: `${secret("tg")}0123456789abcdefghij` };
  const m = await createMonitor({
    ctx: t.ctx.ADMIN,
    input: {
      name: `${tag} Homepage`,
      type: "http",
      url: "https://example.com/",
      intervalSeconds: 60,
      headers: { "X-Api-Key": s.header },
      authType: "basic",
      authUsername: "u",
      authPassword: s.password,
    },
  });
  const hb = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: `${tag} Cron`, type: "heartbeat", intervalSeconds: 300 } });
  const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: `${tag} Telegram`, type: "telegram", botToken: `123456789:AA${s.token}`, chatId: "-100123" } });
  const key = await createApiKey({ ctx: t.ctx.ADMIN, input: { name: `${tag} CI`, scopes: ["account:export", "monitors:read"] } });
  await db()
    .insert(invitations)
    .values({ organizationId: t.org.id, email: `${tag.toLowerCase()}-invitee@example.test`, role: "VIEWER", tokenHash: secret("inv"), expiresAt: new Date(Date.now() + 86_400_000) });
  const page = await insertPage(t.org.id, { name: `${tag} Status`, passwordHash: secret("pagehash"), access: "password" });
  const [row] = await db().select().from(monitors).where(eq(monitors.id, m.id));
  const component = await insertComponent(page, { monitor: row!, name: `${tag} API` });
  await insertIncident(page, { title: `${tag} outage`, updates: [{ status: "investigating", body: `${tag} looking` }], components: [{ id: component.id, status: "major_outage" }] });
  await db()
    .insert(statusSubscribers)
    .values({ organizationId: t.org.id, pageId: page.id, kind: "email", email: `${tag.toLowerCase()}-follower@example.test`, confirmedAt: new Date() });
  await recordResults([res(m.id, down(`${tag} down`))], new Date(Date.now() - 120_000));
  await recordResults([res(m.id, down(`${tag} down`), "default", new Date(Date.now() - 60_000))]);
  await recordResults([res(m.id, up())]);
  return { t, m, hb, ch, key, s, page };
}

let A: Awaited<ReturnType<typeof plant>>;
let B: Awaited<ReturnType<typeof plant>>;
let C: Awaited<ReturnType<typeof plant>>;
let server: http.Server;
let base: string;

beforeAll(async () => {
  [A, B, C] = [await plant("Alpha"), await plant("Bravo"), await plant("Charlie")];
  // A's admin is only a VIEWER in C: C is listed as a membership, never exported.
  await addMember(C.t.org.id, A.t.admin.id, "VIEWER");
  // More results than one page, so the keyset pagination is crossed several times (2.5 pages).
  await db().execute(sql`
    insert into check_results (scheduled_at, monitor_seq, total_ms, ttfb_ms, dns_ms, connect_ms, tls_ms, status_code, region_id, result, lateness)
    select date_trunc('second', now()) - make_interval(secs => g * 10), (select seq from monitors where id = ${A.m.id}), 100 + g % 50, 50, -1, 3, 4, 200, 1, 0, 0
    from generate_series(10, ${Math.floor(EXPORT_BATCH_ROWS * 2.5)} + 9) g
    on conflict do nothing`);
  await api("GET", "/api/v1/monitors", { key: A.key.key });
  await api("GET", "/api/v1/monitors", { key: B.key.key });
  await flushAccessLog();

  server = http.createServer((req, r) => {
    req.headers["x-perigee-client-ip"] = "203.0.113.60";
    void dispatchApi(req, r, { production: true });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function dashboardExport(userId: string): Promise<{ text: string; doc: Doc }> {
  const out = await exportAccount({ userId, input: { via: "dashboard" }, meta });
  let text = "";
  for await (const c of out.chunks) text += c;
  return { text, doc: exportDocumentSchema.parse(JSON.parse(text)) };
}

/** Everything of a tenant that must not leave it: ids, names, and the planted secrets. */
function tracesOf(p: typeof A): string[] {
  return [
    p.t.org.id,
    p.t.org.slug,
    p.t.org.name,
    p.m.id,
    p.m.name,
    p.hb.id,
    p.ch.id,
    p.ch.name,
    p.key.id,
    p.key.key,
    p.t.editor.email,
    p.t.viewer.email,
    p.page.id,
    p.page.slug,
    p.page.name,
    ...secretsOf(p),
  ];
}
const secretsOf = (p: typeof A) => [p.page.passwordHash!, `${p.page.name.split(" ")[0]!.toLowerCase()}-follower@example.test`, p.s.header, p.s.password, p.s.token, p.key.key, p.key.key.slice(16)];

describe("account export", () => {
  it("holds the user's profile, memberships and each administered organization, and nothing of another tenant", async () => {
    const { text, doc } = await dashboardExport(A.t.admin.id);
    expect(doc).toMatchObject({ schemaVersion: 1, dataRegion: expect.any(String), app: { name: "Perigee", url: expect.stringMatching(/^https?:\/\//) }, scope: { via: "dashboard" } });
    expect(doc.user).toMatchObject({ id: A.t.admin.id, email: A.t.admin.email, twoFactor: { enabled: false, recoveryCodesLeft: 0 } });
    expect(text).not.toMatch(/passwordHash|password_hash|totpSecret|keyHash|key_hash|tokenHash|secretsEnc|\$2[aby]\$/);
    expect(doc.memberships.map((m) => [m.organizationId, m.role, m.exported])).toEqual([
      [A.t.org.id, "ADMIN", true],
      [C.t.org.id, "VIEWER", false],
    ]);
    expect(doc.organizations.map((o) => o.id)).toEqual([A.t.org.id]);
    const org = doc.organizations[0]!;
    expect(org.monitors.map((m) => m.name).sort()).toEqual(["Alpha Cron", "Alpha Homepage"]);
    expect(org.monitors.find((m) => m.id === A.m.id)).toMatchObject({ headers: { "X-Api-Key": "••••••" }, authUsername: "u" });
    expect(org.monitors.find((m) => m.id === A.hb.id)?.heartbeatUrl).toBeUndefined();
    expect(org.channels).toEqual([expect.objectContaining({ id: A.ch.id, botToken: "••••••", chatId: "-100123" })]);
    expect(org.apiKeys).toEqual([expect.objectContaining({ id: A.key.id, name: "Alpha CI", scopes: ["account:export", "monitors:read"] })]);
    expect(A.key.key.startsWith(org.apiKeys[0]!.prefix as string)).toBe(true);
    expect(org.members.map((m) => m.email).sort()).toEqual([A.t.admin.email, A.t.editor.email, A.t.viewer.email].sort());
    expect(org.invitations).toEqual([expect.objectContaining({ email: "alpha-invitee@example.test", role: "VIEWER" })]);
    expect(org.incidents).toEqual([expect.objectContaining({ monitorId: A.m.id, causeMessage: expect.any(String) })]);
    expect(org.monitorEvents.map((e) => e.kind)).toEqual(expect.arrayContaining(["down", "recovered"]));
    expect(org.checkFailures.length).toBeGreaterThan(0);
    expect(org.auditLog.map((e) => e.action)).toEqual(expect.arrayContaining(["monitor.created", "channel.created", "organization.exported"]));
    expect(org.apiAccessLog).toEqual([expect.objectContaining({ route: "/api/v1/monitors", status: 200 })]);
    expect(org.statusPages).toEqual([
      expect.objectContaining({
        id: A.page.id,
        hasPassword: true,
        components: [expect.objectContaining({ monitorId: A.m.id, name: "Alpha API" })],
        incidents: [expect.objectContaining({ title: "Alpha outage", updates: [expect.objectContaining({ body: "Alpha looking" })] })],
        subscribers: { email: { confirmed: 1, pending: 0 }, webhook: { confirmed: 0, pending: 0 } },
      }),
    ]);
    expect(org.billing).toMatchObject({ invoices: [], smsUsage: [] });
    expect(doc.sessions).toEqual([]);
    expect(doc.securityEvents!.map((e) => e.action)).toContain("account.exported");

    // Every stored result within retention, each once, in (time, region) order across pages.
    const rows = org.checkResults.monitors.find((m) => m.monitorId === A.m.id)!.rows as [string, string, string, string | null, number | null][];
    const stored = await db().execute<{ n: string }>(sql`select count(*) as n from check_results where monitor_seq = (select seq from monitors where id = ${A.m.id})`);
    expect(rows.length).toBe(Number(stored.rows[0]!.n));
    expect(rows.length).toBeGreaterThan(EXPORT_BATCH_ROWS * 2);
    for (let i = 1; i < rows.length; i++) expect(rows[i]![0] > rows[i - 1]![0]).toBe(true);
    expect(rows.find((x) => x[2] === "down")).toEqual([expect.any(String), "default", "down", "status", 503, 50, null, null, null, null]);
    expect(org.checkResults.columns[0]).toBe("at");

    for (const trace of [...tracesOf(B), ...tracesOf(C).filter((x) => x !== C.t.org.id && x !== C.t.org.slug && x !== C.t.org.name), ...secretsOf(A)]) {
      expect(text, trace).not.toContain(trace);
    }
  });

  it("through the API: the key's organization only, no personal sessions, gzip streamed by the dispatcher", async () => {
    const r = await api("GET", "/api/v1/account/export", { key: A.key.key });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename="perigee-export-\d{4}-\d\d-\d\d\.json"$/);
    const doc = r.body as Doc;
    expect(doc.scope).toEqual({ via: "api", organizations: [A.t.org.id] });
    expect(doc.memberships.map((m) => m.organizationId)).toEqual([A.t.org.id]);
    expect(doc.sessions).toBeNull();
    for (const trace of [...tracesOf(B), C.t.org.id, ...secretsOf(A)]) expect(r.text, trace).not.toContain(trace);

    const raw = await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${base}/api/v1/account/export`, { headers: { authorization: `Bearer ${B.key.key}`, "accept-encoding": "gzip" } }, (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c: Buffer) => parts.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        })
        .on("error", reject);
    });
    expect(raw.headers["content-encoding"]).toBe("gzip");
    expect(raw.headers["transfer-encoding"]).toBe("chunked");
    const text = gunzipSync(raw.body).toString("utf8");
    const bdoc = exportDocumentSchema.parse(JSON.parse(text));
    expect(bdoc.organizations.map((o) => o.id)).toEqual([B.t.org.id]);
    for (const trace of [...tracesOf(A), ...secretsOf(B)]) expect(text, trace).not.toContain(trace);
  });

  it("refuses keys without the scope, and a second export while one runs", async () => {
    const readOnly = await createApiKey({ ctx: A.t.ctx.ADMIN, input: { name: "ro", scopes: ["monitors:read"] } });
    const r = await api("GET", "/api/v1/account/export", { key: readOnly.key });
    expect(r.status).toBe(403);
    const first = await exportAccount({ userId: B.t.admin.id, input: { via: "dashboard" }, meta });
    await expect(exportAccount({ userId: B.t.admin.id, input: { via: "dashboard" }, meta })).rejects.toMatchObject({ code: "rate_limited" });
    // Abandoning the download, even before its first byte, releases the lock.
    await first.chunks.return();
    const again = await exportAccount({ userId: B.t.admin.id, input: { via: "dashboard" }, meta });
    for await (const _ of again.chunks);
  });

  it("exports membership only for a user who administers nothing", async () => {
    const { doc } = await dashboardExport(A.t.viewer.id);
    expect(doc.organizations).toEqual([]);
    expect(doc.memberships).toEqual([expect.objectContaining({ organizationId: A.t.org.id, role: "VIEWER", exported: false })]);
  });
});
