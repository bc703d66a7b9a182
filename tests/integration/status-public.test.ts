import { spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { GET as domainCheck } from "../../src/app/api/status/domain-check/route";
import { hashPassword } from "../../src/server/auth/password";
import { createSession } from "../../src/server/auth/session";
import { closeDb, db } from "../../src/server/db/client";
import { statusPages } from "../../src/server/db/schema";
import { markDomainVerified } from "../../src/server/services/status-pages/mark-domain-verified";
import { verifyDomain } from "../../src/server/services/status-pages/verify-domain";
import { pageBySlug } from "../../src/server/status/cache";
import { invalidateStatusPages } from "../../src/server/status/invalidate";
import { proxy } from "../../src/proxy";
import { routeCustomDomain } from "../../src/web/custom-domain";
import { dispatchStatus } from "../../src/web/status-dispatch";
import { callRoute } from "../helpers/app-route";
import { countingQueries } from "../helpers/api";
import { createTenant, createUser, meta } from "../helpers/factories";
import { TEST_SECRETS } from "../helpers/test-secrets";
import { insertComponent, insertIncident, insertMaintenance, insertPage, insertSection, uniqueSlug } from "../helpers/status-factory";

const HOUR = 3_600_000;
const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Every public path of a page. Feeds, badge and JSON (issue 11 part B) and subscribe (part D)
 * live on other branches: where their route files are missing, the sweep's router answers
 * 404 as Next would; once merged, they are swept too.
 */
const PUBLIC_PATHS: { method: "GET" | "POST"; path: (slug: string, incidentId: string) => string }[] = [
  { method: "GET", path: (s) => `/status/${s}` },
  { method: "GET", path: (s) => `/status/${s}/history` },
  { method: "GET", path: (s, i) => `/status/${s}/incidents/${i}` },
  { method: "GET", path: (s) => `/status/${s}/feed.atom` },
  { method: "GET", path: (s) => `/status/${s}/feed.rss` },
  { method: "GET", path: (s) => `/status/${s}/badge.svg` },
  { method: "GET", path: (s, i) => `/status/${s}/badge.svg?component=${i}` },
  { method: "GET", path: (s) => `/status/${s}/api/v2/summary.json` },
  { method: "GET", path: (s) => `/status/${s}/api/v2/status.json` },
  { method: "GET", path: (s) => `/status/${s}/api/v2/components.json` },
  { method: "GET", path: (s) => `/status/${s}/api/v2/incidents.json` },
  { method: "GET", path: (s) => `/status/${s}/api/v2/incidents/unresolved.json` },
  { method: "GET", path: (s) => `/status/${s}/api/v2/scheduled-maintenances.json` },
  { method: "POST", path: (s) => `/status/${s}/subscribe` },
];

const SECRET_WORDS = ["Zephyr Billing API", "Quasar Search", "Nebula Section", "Gamma ray outage", "Secret update body", "Kelvin upgrade"];

async function privateFixture(access: "password" | "members") {
  const t = await createTenant("Private");
  const page = await insertPage(t.org.id, { name: "Private Status", access, passwordHash: access === "password" ? await hashPassword("open sesame 123") : null });
  const sec = await insertSection(page.id, "Nebula Section");
  const a = await insertComponent(page, { name: "Zephyr Billing API", sectionId: sec.id });
  const b = await insertComponent(page, { name: "Quasar Search" });
  const inc = await insertIncident(page, { title: "Gamma ray outage", components: [{ id: a.id, status: "major_outage" }], updates: [{ status: "investigating", body: "Secret update body" }] });
  await insertMaintenance(page, { title: "Kelvin upgrade", startsAt: new Date(Date.now() + HOUR), endsAt: new Date(Date.now() + 2 * HOUR), components: [b] });
  return { t, page, inc, a, b };
}

async function sweep(slug: string, incidentId: string, headers: Record<string, string> = {}) {
  for (const p of PUBLIC_PATHS) {
    const path = p.path(slug, incidentId);
    const body = p.method === "POST" ? new URLSearchParams({ email: "leak@example.com" }) : undefined;
    const r = await callRoute(p.method, path, { headers: { ...headers, ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) }, body });
    const text = await r.text();
    expect([401, 404], `${p.method} ${path} → ${r.status}`).toContain(r.status);
    for (const w of SECRET_WORDS) expect(text, `${p.method} ${path} leaks "${w}"`).not.toContain(w);
    expect(r.headers.get("cache-control") ?? "", `${path} cache`).not.toMatch(/public/);
  }
}

const setCookieOf = (r: Response) => r.headers.get("set-cookie")?.split(";")[0] ?? "";

describe("public status page HTML", () => {
  it("renders the current status, history and an incident from the snapshot, with strict headers", async () => {
    const t = await createTenant("Html");
    const page = await insertPage(t.org.id, { name: "Acme <Status>", brandColor: "#fde047", timeZone: "Europe/Berlin" });
    const sec = await insertSection(page.id, "Core services");
    const api = await insertComponent(page, { name: "Public API", sectionId: sec.id, showResponseTime: true });
    const hour = new Date();
    hour.setUTCMinutes(0, 0, 0);
    await db().execute(sql`insert into check_rollups_hourly (monitor_seq, bucket, checks, successes, degraded, latency_sum_ms, latency_hist) values
      (${api.monitor.seq}, ${new Date(hour.getTime() - HOUR).toISOString()}::timestamptz, 10, 10, 0, 1000, '{}'),
      (${api.monitor.seq}, ${hour.toISOString()}::timestamptz, 10, 10, 0, 3000, '{}')`);
    await insertComponent(page, { name: "Dashboard" });
    const inc = await insertIncident(page, {
      title: "Slow <b>responses</b>",
      impact: "major",
      components: [{ id: api.id, status: "partial_outage" }],
      updates: [
        { status: "investigating", body: "Looking into it <script>alert(1)</script>" },
        { status: "identified", body: "Found a **bad** deploy" },
      ],
    });
    const r = await callRoute("GET", `/status/${page.slug}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(r.headers.get("cache-control")).toBe("public, max-age=10, stale-while-revalidate=30");
    const csp = r.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
    const html = await r.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("Acme &lt;Status&gt;");
    expect(html).toContain("Partial System Outage");
    expect(html).toMatch(/<header[\s\S]*<main id="main"[\s\S]*<footer/);
    expect(html).toContain("<h1");
    expect(html).toContain("Core services");
    expect(html).toContain('Public API</h3><span class="st s-partial_outage">Partial Outage</span>');
    expect(html).toContain("Slow &lt;b&gt;responses&lt;/b&gt;");
    // The active incident shows its latest update only, rendered Markdown.
    expect(html).toContain("Found a <strong>bad</strong> deploy");
    expect(html).not.toContain("Looking into it");
    expect((html.match(/<li class=b[n0-3] tabindex=0><i>\d{4}-\d\d-\d\d: /g) ?? []).length).toBe(180);
    expect(html).toMatch(/<svg viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="Response time \(last 24 hours, ms\): 2 h, max 300 ms, ⌀ 200 ms">/);
    expect(html).toContain(`<form method="post" action="/status/${page.slug}/subscribe">`);
    expect(html).toContain(`name="components" value="${api.id}"`);
    expect(html).toContain(`href="/status/${page.slug}/feed.atom"`);
    expect(html).toContain(`href="/status/${page.slug}/history"`);
    expect(html).toMatch(/Last updated .*CET|Last updated .*GMT\+1/);
    // A light brand colour gets black text.
    expect(html).toContain("--accent:#fde047;--on-accent:#000000");
    expect(html).not.toContain("may be out of date");

    const hist = await callRoute("GET", `/status/${page.slug}/history`);
    expect(hist.status).toBe(200);
    const histHtml = await hist.text();
    expect(histHtml).toContain("Looking into it &lt;script&gt;");
    expect(histHtml).toContain("Found a <strong>bad</strong> deploy");

    const one = await callRoute("GET", `/status/${page.slug}/incidents/${inc.id}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toMatch(/<h1><a [^>]*>Slow &lt;b&gt;responses&lt;\/b&gt;<\/a><\/h1>/);
    expect((await callRoute("GET", `/status/${page.slug}/incidents/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await callRoute("GET", `/status/${uniqueSlug("nope")}`)).status).toBe(404);
    expect((await callRoute("GET", `/status/NOT..valid`)).status).toBe(404);

    // Pre-compressed once per snapshot; revalidation by ETag.
    const gz = await callRoute("GET", `/status/${page.slug}`, { headers: { "accept-encoding": "gzip, br" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8")).toBe(html);
    const etag = gz.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"/);
    const notModified = await callRoute("GET", `/status/${page.slug}`, { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);

    // Warm: no database query per request.
    await new Promise((res) => setTimeout(res, 1100));
    const { queries } = await countingQueries(async () => {
      for (let i = 0; i < 20; i++) expect((await callRoute("GET", `/status/${page.slug}`)).status).toBe(200);
    });
    expect(queries).toBe(0);
  });

  it("speaks the page's language, and hides unpublished pages", async () => {
    const t = await createTenant("De");
    const page = await insertPage(t.org.id, { language: "de" });
    await insertComponent(page, { name: "API" });
    const html = await (await callRoute("GET", `/status/${page.slug}`)).text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("Alle Systeme betriebsbereit");
    expect(html).toContain("Betriebsbereit");
    const hidden = await insertPage(t.org.id, { published: false });
    await insertComponent(hidden, { name: "Hidden thing" });
    const r = await callRoute("GET", `/status/${hidden.slug}`);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain("Hidden thing");
  });
});

describe("private pages", () => {
  it("password page: every public path answers 401/404 without leaking; the password grants a page-scoped cookie", { timeout: 120_000 }, async () => {
    const { page, inc, t } = await privateFixture("password");
    await sweep(page.slug, inc.id);

    const form = await callRoute("GET", `/status/${page.slug}`);
    expect(form.status).toBe(401);
    expect(form.headers.get("cache-control")).toBe("private, no-store");
    const formHtml = await form.text();
    expect(formHtml).toContain('type="password"');
    expect(formHtml).toContain("Private Status");

    const post = (password: string, ip = "198.51.100.1") =>
      callRoute("POST", `/status/${page.slug}`, { headers: { "content-type": "application/x-www-form-urlencoded", "x-perigee-client-ip": ip }, body: new URLSearchParams({ password }) });
    const wrong = await post("nope");
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("not correct");
    const ok = await post("open sesame 123");
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe(`/status/${page.slug}`);
    const setCookie = ok.headers.get("set-cookie")!;
    expect(setCookie).toMatch(new RegExp(`^perigee_page=[^;]+; Path=/status/${page.slug}; Max-Age=\\d+; HttpOnly; SameSite=Lax`));
    const cookie = setCookieOf(ok);

    const seen = await callRoute("GET", `/status/${page.slug}`, { headers: { cookie } });
    expect(seen.status).toBe(200);
    expect(seen.headers.get("cache-control")).toBe("private, no-store");
    expect(await seen.text()).toContain("Zephyr Billing API");
    expect((await callRoute("GET", `/status/${page.slug}/history`, { headers: { cookie } })).status).toBe(200);

    // The cookie is bound to this page: another private page does not accept it.
    const other = await privateFixture("password");
    expect((await callRoute("GET", `/status/${other.page.slug}`, { headers: { cookie: cookie.replace(page.id, other.page.id) } })).status).toBe(401);

    // A new password signs everyone out.
    await db()
      .update(statusPages)
      .set({ passwordHash: await hashPassword("another secret 456") })
      .where(eq(statusPages.id, page.id));
    await invalidateStatusPages({ pageIds: [page.id] });
    expect((await callRoute("GET", `/status/${page.slug}`, { headers: { cookie } })).status).toBe(401);

    // Throttled per IP and page: 10 failures, then 429 (even with the right password).
    for (let i = 0; i < 10; i++) expect((await post("bad guess", "198.51.100.77")).status).toBe(401);
    const limited = await post("another secret 456", "198.51.100.77");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect((await post("another secret 456", "198.51.100.78")).status).toBe(303);
    void t;
  });

  it("members page: 404 to everyone but signed-in members of its organization", async () => {
    const { page, inc, t } = await privateFixture("members");
    await sweep(page.slug, inc.id);
    const stranger = await createUser();
    const { token: strangerToken } = await createSession(db(), stranger.id, null, meta);
    await sweep(page.slug, inc.id, { cookie: `perigee_session=${strangerToken}` });
    const { token } = await createSession(db(), t.viewer.id, t.org.id, meta);
    const r = await callRoute("GET", `/status/${page.slug}`, { headers: { cookie: `perigee_session=${token}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("private, no-store");
    expect(await r.text()).toContain("Quasar Search");
  });
});

describe("custom domains", () => {
  const routed = async (host: string, url: string, headers: Record<string, string> = {}) => {
    const req: { url: string; headers: Record<string, string | undefined> } = { url, headers: { host, ...headers } };
    return { r: await routeCustomDomain(req), req };
  };

  it("serves a verified domain's page at / (the web server's routing), 404s an unverified one, and the TLS ask endpoint agrees", async () => {
    const t = await createTenant("Domain");
    const domain = `status-${uniqueSlug("d")}.example.com`;
    const page = await insertPage(t.org.id, { name: "Domain Status", customDomain: domain, domainToken: "tok-123" });
    await insertComponent(page, { name: "Checkout" });
    const inc = await insertIncident(page, { title: "Checkout errors" });

    expect((await routed(domain, "/")).r).toEqual({ kind: "refuse", status: 404 });
    expect((await domainCheck(new Request(`http://localhost:3000/api/status/domain-check?domain=${domain}`))).status).toBe(404);
    expect((await domainCheck(new Request(`http://localhost:3000/api/status/domain-check?domain=unknown.example.org`))).status).toBe(404);

    // DNS TXT verification (the resolver is the service's parameter here).
    const mismatch = await verifyDomain({ ctx: t.ctx.EDITOR, pageId: page.id, resolveTxt: async () => [["something-else"]] });
    expect(mismatch.verified).toBe(false);
    await expect(verifyDomain({ ctx: t.ctx.VIEWER, pageId: page.id, resolveTxt: async () => [["tok-123"]] })).rejects.toThrow();
    const asked: string[] = [];
    const ok = await verifyDomain({
      ctx: t.ctx.EDITOR,
      pageId: page.id,
      resolveTxt: async (name) => {
        asked.push(name);
        return [["tok-", "123"]];
      },
    });
    expect(ok).toEqual({ domain, verified: true });
    expect(asked).toEqual([`_perigee.${domain}`]);
    expect((await domainCheck(new Request(`http://localhost:3000/api/status/domain-check?domain=${domain}`))).status).toBe(200);

    // The web server's routing (workers/web.ts → routeCustomDomain): every path of the domain is the page's.
    for (const [path, target] of [
      ["/", `/status/${page.slug}`],
      ["/history", `/status/${page.slug}/history`],
      ["/feed.atom", `/status/${page.slug}/feed.atom`],
      ["/api/v2/summary.json?x=1", `/status/${page.slug}/api/v2/summary.json?x=1`],
      ["/sign-in", `/status/${page.slug}/sign-in`],
      ["/api/v1/monitors", `/status/${page.slug}/api/v1/monitors`],
    ] as const) {
      const { r, req } = await routed(domain, path, { "x-perigee-status-domain": "spoofed.example" });
      expect(r, path).toEqual({ kind: "page", url: target, domain });
      expect(req.url).toBe(target);
      expect(req.headers["x-perigee-status-domain"]).toBe(domain);
    }
    for (const path of ["/../api/v1/monitors", "/%2e%2e/sign-in", "/a/%2F..", "//evil"]) expect((await routed(domain, path)).r, path).toEqual({ kind: "refuse", status: 404 });
    // Nothing but the page answers there: the sign-in page has no route under the page.
    expect((await callRoute("GET", `/status/${page.slug}/sign-in`, { headers: { "x-perigee-status-domain": domain } })).status).toBe(404);
    // The proxy keeps the header only when it names the request's own (foreign) Host.
    const kept = proxy(new NextRequest(`http://127.0.0.1:3000/status/${page.slug}/history`, { headers: { host: domain, "x-perigee-status-domain": domain } }));
    expect(kept.headers.get("x-middleware-override-headers")).toBeNull();

    // The rewritten request, as the route handler gets it: links at /, page URL on the domain.
    const home = await callRoute("GET", `/status/${page.slug}`, { headers: { "x-perigee-status-domain": domain } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('href="/history"');
    expect(html).toContain('action="/subscribe"');
    expect(html).toContain(`href="/incidents/${inc.id}"`);
    expect((await pageBySlug(page.slug))!.entry.snapshot.page.url).toBe(`https://${domain}/`);
    expect((await callRoute("GET", `/status/${page.slug}`, { headers: { "x-perigee-status-domain": "other.example.com" } })).status).toBe(404);

    // The app's own host and hosts no page claims are the app's, and a client cannot claim to come through a domain.
    const own = await routed("localhost:3000", `/status/${page.slug}`, { "x-perigee-status-domain": domain });
    expect(own.r).toEqual({ kind: "app" });
    expect(own.req.headers["x-perigee-status-domain"]).toBeUndefined();
    expect((await routed("unclaimed.example.org", "/")).r).toEqual({ kind: "app" });
    const spoofed = proxy(new NextRequest(`http://localhost:3000/status/${page.slug}`, { headers: { host: "localhost:3000", "x-perigee-status-domain": domain } }));
    expect(spoofed.headers.get("x-middleware-override-headers")).not.toContain("x-perigee-status-domain");
    expect(spoofed.headers.get("x-middleware-request-x-perigee-status-domain")).toBeNull();
  });

  it("the operator can mark a domain verified", async () => {
    const t = await createTenant("Operator");
    const domain = `ops-${uniqueSlug("d")}.example.net`;
    const page = await insertPage(t.org.id, { customDomain: domain, domainToken: "x" });
    await expect(markDomainVerified({ domain: "nobody.example.invalid" })).rejects.toThrow(/No status page/);
    expect(await markDomainVerified({ domain: domain.toUpperCase() })).toMatchObject({ pageId: page.id, domain });
    expect((await domainCheck(new Request(`http://localhost:3000/api/status/domain-check?domain=${domain}`))).status).toBe(200);
  });

  it("npm run cli -- status-page:verify-domain --domain D", { timeout: 60_000 }, async () => {
    const t = await createTenant("Cli");
    const domain = `cli-${uniqueSlug("d")}.example.net`;
    const page = await insertPage(t.org.id, { customDomain: domain, domainToken: "x" });
    const run = (args: string[]) =>
      spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env, ...TEST_SECRETS, NODE_ENV: "test", DATABASE_URL: inject("databaseUrl"), REDIS_PREFIX: inject("redisPrefix") },
        encoding: "utf8",
        timeout: 60_000,
      });
    const bad = run(["status-page:verify-domain"]);
    expect(bad.status).toBe(2);
    const r = run(["status-page:verify-domain", "--domain", domain]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pageId: page.id, slug: page.slug, domain });
    const [row] = await db().select().from(statusPages).where(eq(statusPages.id, page.id));
    expect(row!.domainVerifiedAt).not.toBeNull();
    // The CLI's process rebuilt the snapshot: this process sees the domain verified.
    await new Promise((res) => setTimeout(res, 1100));
    expect((await domainCheck(new Request(`http://localhost:3000/api/status/domain-check?domain=${domain}`))).status).toBe(200);
  });
});

describe("the web server's front door (workers/web.ts → dispatchStatus), over real HTTP", () => {
  it("answers the HTML on the app host and on a verified custom domain, refuses an unverified one, and passes everything else on", async () => {
    const server = http.createServer((req, res) => {
      void dispatchStatus(req, res).then((done) => {
        if (!done) res.writeHead(418, { "x-url": req.url ?? "", "x-domain": String(req.headers["x-perigee-status-domain"] ?? "") }).end("next");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const get = (host: string, p: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path: p, headers: { host, ...headers } }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const t = await createTenant("Door");
      const domain = `door-${uniqueSlug("d")}.example.com`;
      const page = await insertPage(t.org.id, { name: "Door Status", customDomain: domain, domainToken: "x" });
      await insertComponent(page, { name: "Front API" });
      const app = await get("localhost:3000", `/status/${page.slug}`);
      expect(app.status).toBe(200);
      expect(app.headers["content-security-policy"]).toContain("default-src 'none'");
      expect(app.body).toContain("Front API");
      expect((await get("localhost:3000", `/status/${page.slug}/history`)).status).toBe(200);
      expect((await get("localhost:3000", `/status/${page.slug}/feed.atom`)).status).toBe(200);
      expect((await get("localhost:3000", "/sign-in")).status).toBe(418);
      expect((await get(domain, "/")).status).toBe(404);

      await markDomainVerified({ domain });
      const home = await get(domain, "/", { "x-perigee-status-domain": "evil.example" });
      expect(home.status).toBe(200);
      expect(home.headers["set-cookie"]).toBeUndefined();
      expect(home.body).toContain('href="/history"');
      expect((await get(domain, "/history")).status).toBe(200);
      const feed = await get(domain, "/feed.atom?x=1");
      expect(feed.status).toBe(200);
      expect(feed.body).toContain(`https://${domain}/feed.atom`);
      const other = await get(domain, "/sign-in");
      expect(other.headers["x-url"]).toBe(`/status/${page.slug}/sign-in`);
      expect(other.headers["x-domain"]).toBe(domain);
      expect((await get(domain, "/%2e%2e/sign-in")).status).toBe(404);
      // A client on the app host cannot claim a domain.
      const spoof = await get("localhost:3000", "/x", { "x-perigee-status-domain": domain });
      expect(spoof.headers["x-domain"]).toBe("");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe("Postgres down", () => {
  type Holder = { pool?: pg.Pool; db?: unknown };
  const dbHolder = (globalThis as unknown as { __perigeeDb: Holder }).__perigeeDb;
  const statusMemory = (globalThis as unknown as { __perigeeStatus: { entries: Map<string, unknown>; slugs: Map<string, unknown> } }).__perigeeStatus;
  afterAll(async () => {
    await closeDb();
  });

  it("keeps serving the last snapshot from Redis, marked with its age, when the database is unreachable", async () => {
    const t = await createTenant("PgDown");
    const page = await insertPage(t.org.id, { name: "Resilient Status" });
    await insertComponent(page, { name: "Payments" });
    const cold = await insertPage(t.org.id);
    expect((await callRoute("GET", `/status/${page.slug}`)).status).toBe(200);

    // The process's pool now points at a closed port; this process's memory cache is emptied
    // (a fresh web process), so the page must come from Redis.
    await closeDb();
    dbHolder.pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:1/none", connectionTimeoutMillis: 500 });
    dbHolder.db = undefined;
    statusMemory.entries.clear();
    statusMemory.slugs.clear();
    try {
      // A rebuild is attempted (the engine saw a change) and fails: the page is flagged.
      await invalidateStatusPages({ pageIds: [page.id] });
      const r = await callRoute("GET", `/status/${page.slug}`);
      expect(r.status).toBe(200);
      expect(Number(r.headers.get("x-status-snapshot-age"))).toBeGreaterThanOrEqual(0);
      const html = await r.text();
      expect(html).toContain("Payments");
      expect(html).toContain("This page may be out of date (as of ");
      // A page never cached cannot be served: 503, not a crash.
      expect((await callRoute("GET", `/status/${cold.slug}`)).status).toBe(503);
    } finally {
      await closeDb();
    }
    // The database is back: the next rebuild clears the flag.
    await invalidateStatusPages({ pageIds: [page.id] });
    expect(await (await callRoute("GET", `/status/${page.slug}`)).text()).not.toContain("may be out of date");
  });
});
