import http from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { statusPages } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { invalidateStatusPages } from "../../src/server/status/invalidate";
import { STATUSPAGE_DOCS } from "../../src/server/status/render/statuspage-json";
import { dispatchStatus } from "../../src/web/status-dispatch";
import * as atom from "../../src/app/status/[slug]/feed.atom/route";
import * as rss from "../../src/app/status/[slug]/feed.rss/route";
import * as badge from "../../src/app/status/[slug]/badge.svg/route";
import * as components from "../../src/app/status/[slug]/api/v2/components.json/route";
import * as incidents from "../../src/app/status/[slug]/api/v2/incidents.json/route";
import * as unresolved from "../../src/app/status/[slug]/api/v2/incidents/unresolved.json/route";
import * as maintenances from "../../src/app/status/[slug]/api/v2/scheduled-maintenances.json/route";
import * as active from "../../src/app/status/[slug]/api/v2/scheduled-maintenances/active.json/route";
import * as upcoming from "../../src/app/status/[slug]/api/v2/scheduled-maintenances/upcoming.json/route";
import * as status from "../../src/app/status/[slug]/api/v2/status.json/route";
import * as summary from "../../src/app/status/[slug]/api/v2/summary.json/route";
import { createOrg } from "../helpers/factories";
import { down, insertMonitor, res } from "../helpers/monitor-factory";
import { insertComponent, insertIncident, insertMaintenance, insertPage, insertSection } from "../helpers/status-factory";
import { statuspageSchemas } from "../helpers/statuspage-schemas";
import { childrenOf, parseXml, textOf, type XmlElement } from "../helpers/xml-check";

type Route = { GET: (req: Request, ctx: { params: Promise<{ slug: string }> }) => Promise<Response>; OPTIONS: () => Promise<Response> };
const JSON_ROUTES: Record<(typeof STATUSPAGE_DOCS)[number], Route> = {
  summary,
  status,
  components,
  incidents,
  "incidents/unresolved": unresolved,
  "scheduled-maintenances": maintenances,
  "scheduled-maintenances/upcoming": upcoming,
  "scheduled-maintenances/active": active,
};
const PATHS: [string, Route][] = [...STATUSPAGE_DOCS.map((d): [string, Route] => [`api/v2/${d}.json`, JSON_ROUTES[d]]), ["feed.atom", atom], ["feed.rss", rss], ["badge.svg", badge]];

const get = (route: Route, slug: string, path: string, headers: Record<string, string> = {}) =>
  route.GET(new Request(`http://localhost/status/${slug}/${path}`, { headers }), { params: Promise.resolve({ slug }) });

/** The visible message of a badge. */
const badgeMessage = (svg: string) => textOf(childrenOf(parseXml(svg), "g")[1]!.children.filter((c): c is XmlElement => typeof c !== "string" && c.attrs["aria-hidden"] !== "true")[1]!);

async function buildPage(access: "public" | "password" | "members" = "public") {
  const org = await createOrg("Feeds");
  const page = await insertPage(org.id, { name: "Acme Status", access, passwordHash: access === "password" ? "$2b$12$abcdefghijklmnopqrstuuO0B6z5z5z5z5z5z5z5z5z5z5z5z5z5z5" : null });
  const api = await insertSection(page.id, "Core", 1);
  const monitor = await insertMonitor(org.id, { name: "api monitor", state: "UP", confirmations: 1 });
  const rest = await insertComponent(page, { name: "Secret REST API", sectionId: api.id, position: 1, monitor });
  const hooks = await insertComponent(page, { name: "Secret Webhooks", sectionId: api.id, position: 2 });
  await insertIncident(page, { title: "Secret incident title", impact: "minor", components: [{ id: hooks.id, status: "degraded_performance" }] });
  const soon = Date.now() + 86_400_000;
  await insertMaintenance(page, { title: "Secret maintenance", startsAt: new Date(soon), endsAt: new Date(soon + 3_600_000), components: [hooks] });
  await invalidateStatusPages({ pageIds: [page.id] });
  return { org, page, rest, hooks, monitor };
}

describe("status page JSON, feeds and badges", () => {
  let p: Awaited<ReturnType<typeof buildPage>>;
  beforeAll(async () => {
    p = await buildPage();
  });

  it("answers every Statuspage v2 document in its strict shape, with CORS and public caching", async () => {
    for (const doc of STATUSPAGE_DOCS) {
      const r = await get(JSON_ROUTES[doc], p.page.slug, `api/v2/${doc}.json`);
      expect(r.status, doc).toBe(200);
      expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
      expect(r.headers.get("cache-control")).toBe("public, max-age=10, stale-while-revalidate=30");
      expect(r.headers.get("etag")).toMatch(/^"[\w-]{22}"$/);
      statuspageSchemas[doc].parse(await r.json());
    }
    const s = (await (await get(summary, p.page.slug, "api/v2/summary.json")).json()) as {
      page: { name: string; url: string };
      components: { name: string; group: boolean; status: string }[];
      incidents: { name: string }[];
      scheduled_maintenances: { name: string }[];
      status: { indicator: string };
    };
    expect(s.page).toMatchObject({ name: "Acme Status", url: `http://localhost:3000/status/${p.page.slug}` });
    expect(s.components.map((c) => [c.name, c.group, c.status])).toEqual([
      ["Core", true, "degraded_performance"],
      ["Secret REST API", false, "operational"],
      ["Secret Webhooks", false, "degraded_performance"],
    ]);
    expect(s.incidents.map((i) => i.name)).toEqual(["Secret incident title"]);
    expect(s.scheduled_maintenances.map((m) => m.name)).toEqual(["Secret maintenance"]);
    expect(s.status.indicator).toBe("minor");

    const pre = await summary.OPTIONS();
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("GET");
  });

  it("answers 304 to a matching If-None-Match, and a fresh body after a change", async () => {
    const first = await get(status, p.page.slug, "api/v2/status.json");
    const etag = first.headers.get("etag")!;
    const again = await get(status, p.page.slug, "api/v2/status.json", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await get(status, p.page.slug, "api/v2/status.json", { "if-none-match": `W/${etag}, "other"` })).status).toBe(304);
    await db().update(statusPages).set({ name: "Acme Status (renamed)", updatedAt: new Date() }).where(eq(statusPages.id, p.page.id));
    await invalidateStatusPages({ pageIds: [p.page.id] });
    const changed = await get(status, p.page.slug, "api/v2/status.json", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { page: { name: string } }).page.name).toBe("Acme Status (renamed)");
  });

  it("gzips for clients that take it (memoised, its own ETag), and not for those that refuse it", async () => {
    const plain = await get(summary, p.page.slug, "api/v2/summary.json");
    const zipped = await get(summary, p.page.slug, "api/v2/summary.json", { "accept-encoding": "br, gzip;q=0.8" });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("vary")).toBe("accept-encoding");
    expect(zipped.headers.get("etag")).not.toBe(plain.headers.get("etag"));
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(await plain.text());
    const again = await get(summary, p.page.slug, "api/v2/summary.json", { "accept-encoding": "gzip", "if-none-match": zipped.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-encoding")).toBeNull();
    expect((await get(summary, p.page.slug, "api/v2/summary.json", { "accept-encoding": "gzip;q=0, identity" })).headers.get("content-encoding")).toBeNull();
  });

  it("serves Atom and RSS of the published incidents and maintenances", async () => {
    const a = await get(atom, p.page.slug, "feed.atom");
    expect(a.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const feed = parseXml(await a.text());
    expect(childrenOf(feed, "entry").map((e) => textOf(childrenOf(e, "title")[0]!))).toEqual(["Secret maintenance", "Secret incident title"]);
    const link = childrenOf(
      childrenOf(feed, "entry").find((e) => textOf(childrenOf(e, "title")[0]!) === "Secret incident title")!,
      "link",
    )[0]!.attrs.href;
    expect(link).toMatch(new RegExp(`^http://localhost:3000/status/${p.page.slug}/incidents/[0-9a-f-]{36}$`));
    const r = await get(rss, p.page.slug, "feed.rss");
    expect(r.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(childrenOf(childrenOf(parseXml(await r.text()), "channel")[0]!, "item")).toHaveLength(2);
  });

  it("draws a badge per component, and a component whose monitor goes DOWN shows major_outage", async () => {
    const b = await get(badge, p.page.slug, `badge.svg?component=${p.rest.id}`);
    expect(b.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(b.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(b.headers.get("cache-control")).toBe("public, max-age=60");
    expect(badgeMessage(await b.text())).toBe("operational");
    expect(badgeMessage(await (await get(badge, p.page.slug, "badge.svg?component=secret%20webhooks&uptime=30")).text())).toBe("degraded · no data");
    const missing = await get(badge, p.page.slug, "badge.svg?component=nothing");
    expect(missing.status).toBe(404);
    expect(badgeMessage(await missing.text())).toBe("not found");

    await recordResults([res(p.monitor.id, down())]);
    const s = (await (await get(summary, p.page.slug, "api/v2/summary.json")).json()) as { components: { id: string; status: string }[]; status: { indicator: string } };
    expect(s.components.find((c) => c.id === p.rest.id)!.status).toBe("major_outage");
    expect(s.status.indicator).toBe("major");
    expect(badgeMessage(await (await get(badge, p.page.slug, `badge.svg?component=${p.rest.id}`)).text())).toBe("major outage");
    expect(badgeMessage(await (await get(badge, p.page.slug, "badge.svg")).text())).toBe("partial outage");
  });

  it("never leaks a private page: 401/404 on every path, no names, never publicly cacheable", async () => {
    for (const access of ["password", "members"] as const) {
      const priv = await buildPage(access);
      for (const [path, route] of PATHS) {
        const r = await get(route, priv.page.slug, path);
        expect(r.status, `${access} ${path}`).toBe(access === "password" ? 401 : 404);
        expect(r.headers.get("cache-control")).toBe("private, no-store");
        const body = await r.text();
        expect(body).not.toMatch(/Secret|Acme/);
      }
    }
    const unknown = await get(summary, "no-such-page-here", "api/v2/summary.json");
    expect(unknown.status).toBe(404);
  });
});

describe("the web process's fast path", () => {
  let server: http.Server;
  let base: string;
  let p: Awaited<ReturnType<typeof buildPage>>;
  beforeAll(async () => {
    p = await buildPage();
    // As workers/web.ts: the status front door first, else Next.js (418 here).
    server = http.createServer((req, res) => {
      void dispatchStatus(req, res).then((done) => {
        if (!done) res.writeHead(418).end("next.js");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("serves the same answers over HTTP, with the security headers, and leaves other paths to Next.js", async () => {
    const r = await fetch(`${base}/status/${p.page.slug}/api/v2/summary.json`, { headers: { host: "localhost" } });
    expect(r.status).toBe(200);
    statuspageSchemas.summary.parse(await r.json());
    for (const h of ["x-content-type-options", "x-frame-options", "access-control-allow-origin", "etag"]) expect(r.headers.get(h), h).toBeTruthy();
    const etag = r.headers.get("etag")!;
    expect((await fetch(`${base}/status/${p.page.slug}/api/v2/summary.json`, { headers: { "if-none-match": etag } })).status).toBe(304);
    const b = await fetch(`${base}/status/${p.page.slug}/badge.svg?label=${encodeURIComponent("<b>&")}`);
    expect(await b.text()).toContain("&lt;b&gt;&amp;");
    const opt = await fetch(`${base}/status/${p.page.slug}/feed.atom`, { method: "OPTIONS" });
    expect(opt.status).toBe(204);
    const html = await fetch(`${base}/status/${p.page.slug}`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await html.text()).toContain("Secret REST API");
    expect(html.headers.get("content-encoding")).toBe("gzip");
    const cached = await fetch(`${base}/status/${p.page.slug}`, { headers: { "if-none-match": html.headers.get("etag")! } });
    expect(cached.status).toBe(304);
    expect((await fetch(`${base}/status/${p.page.slug}/history`)).status).toBe(200);
    expect((await fetch(`${base}/status/${p.page.slug}`, { method: "POST" })).status).toBe(418);
    expect((await fetch(`${base}/status/${p.page.slug}/api/v2/nothing.json`)).status).toBe(418);
    expect((await fetch(`${base}/monitors`)).status).toBe(418);
    expect((await fetch(`${base}/status/${p.page.slug}/api/v2/summary.json`, { method: "POST" })).status).toBe(418);
  });

  it("serves a verified custom domain's root paths from the fast path, and ignores a client's domain header", async () => {
    const domain = `status-${p.page.slug}.example.test`;
    const ask = (path: string, headers: Record<string, string> = { host: domain }) =>
      new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
        const u = new URL(base);
        const req = http.request({ host: u.hostname, port: u.port, path, headers }, (r) => {
          let body = "";
          r.on("data", (c: Buffer) => (body += c));
          r.on("end", () => resolve({ status: r.statusCode ?? 0, body, headers: r.headers }));
        });
        req.on("error", reject);
        req.end();
      });
    await db().update(statusPages).set({ customDomain: domain }).where(eq(statusPages.id, p.page.id));
    await invalidateStatusPages({ pageIds: [p.page.id] });
    expect((await ask("/api/v2/summary.json")).status).toBe(404);
    await db().update(statusPages).set({ domainVerifiedAt: new Date() }).where(eq(statusPages.id, p.page.id));
    await invalidateStatusPages({ pageIds: [p.page.id] });
    const s = await ask("/api/v2/summary.json");
    expect(s.status).toBe(200);
    expect(s.headers["access-control-allow-origin"]).toBe("*");
    expect(JSON.parse(s.body)).toMatchObject({ page: { url: `https://${domain}/` } });
    expect((await ask("/badge.svg")).status).toBe(200);
    expect((await ask("/feed.atom")).body).toContain(`https://${domain}/feed.atom`);
    const home = await ask("/");
    expect(home.status).toBe(200);
    // Links on a custom domain are relative to its root.
    expect(home.body).toContain('href="/feed.atom"');
    // Another page's paths are not reachable through this domain.
    expect((await ask(`/status/${p.page.slug}/api/v2/summary.json`)).status).not.toBe(200);
    // On the app's host, a client cannot name a domain itself.
    const spoofed = await ask(`/status/no-such-page/api/v2/summary.json`, { host: "localhost", "x-perigee-status-domain": domain });
    expect(spoofed.status).toBe(404);
  });
});
