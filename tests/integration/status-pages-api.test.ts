import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, maintenanceWindows, statusNotices, statusPages, statusSubscribers } from "../../src/server/db/schema";
import { windowCovers } from "../../src/server/monitors/maintenance";
import { createMonitor } from "../../src/server/services/monitors/create";
import { createStatusPage } from "../../src/server/services/status-pages/create";
import { createStatusIncident } from "../../src/server/services/status-incidents/create";
import { listStatusIncidents } from "../../src/server/services/status-incidents/list";
import { removeStatusSubscriber } from "../../src/server/services/status-subscribers/remove";
import { api, apiTenant } from "../helpers/api";

/**
 * Status pages through the REST API (tests/helpers/api.ts checks every answer against its
 * declared schema). Denials by scope and tenant come from the sweeps in api-security.test.ts.
 */
type Page = {
  id: string;
  name: string;
  slug: string;
  version: number;
  hasPassword: boolean;
  domainToken: string | null;
  components: { id: string; monitorId: string; name: string; sectionId: string | null; sectionName: string | null; position: number }[];
  sections: { id: string; name: string; position: number }[];
};
type Incident = {
  id: string;
  draft: boolean;
  status: string;
  resolvedAt: string | null;
  publishedAt: string | null;
  components: { componentId: string; status: string | null }[];
  updates: { status: string; body: string }[];
};
type ErrorBody = { error: { code: string; message: string; details?: Record<string, string[]> } };

let t: Awaited<ReturnType<typeof apiTenant>>;
let key: string;
let readOnly: string;
let api1: string;
let web: string;
let db1: string;
const slug = (tag = "acme") => `${tag}-${randomUUID().slice(0, 8)}`;
const tcp = (name: string) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, paused: true });

beforeAll(async () => {
  t = await apiTenant("Status API");
  key = (await t.key(["status-pages:read", "status-pages:write"])).key;
  readOnly = (await t.key(["status-pages:read"])).key;
  api1 = (await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("api-prod-1") })).id;
  web = (await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("web-prod") })).id;
  db1 = (await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("db-prod") })).id;
});

async function newPage(over: Record<string, unknown> = {}): Promise<Page> {
  const r = await api("POST", "/api/v1/status-pages", { key, body: { name: "Acme", slug: slug(), components: [{ monitorId: api1, name: "API" }], ...over } });
  expect(r.status, r.text).toBe(201);
  return r.body as Page;
}

describe("pages", () => {
  it("create → get → list → patch → delete, with components in order, grouped by section, names defaulting to the monitor's", async () => {
    const s = slug();
    const r = await api("POST", "/api/v1/status-pages", {
      key,
      body: {
        name: "Acme status",
        slug: s,
        brandColor: "#FF0000",
        timeZone: "Europe/Berlin",
        language: "de",
        components: [
          { monitorId: api1, name: "API", sectionName: "Core" },
          { monitorId: web, sectionName: "Edge", showResponseTime: true },
          { monitorId: db1, name: "Database", sectionName: "Core" },
        ],
      },
    });
    expect(r.status, r.text).toBe(201);
    const p = r.body as Page;
    expect(r.headers.get("location")).toBe(`/api/v1/status-pages/${p.id}`);
    expect(p).toMatchObject({
      slug: s,
      brandColor: "#ff0000",
      timeZone: "Europe/Berlin",
      language: "de",
      published: true,
      access: "public",
      hasPassword: false,
      customDomain: null,
      domainToken: null,
    });
    expect(p.sections.map((x) => [x.name, x.position])).toEqual([
      ["Core", 0],
      ["Edge", 1],
    ]);
    expect(p.components.map((c) => [c.name, c.sectionName, c.position])).toEqual([
      ["API", "Core", 0],
      ["web-prod", "Edge", 1],
      ["Database", "Core", 2],
    ]);

    expect((await api("GET", `/api/v1/status-pages/${p.id}`, { key: readOnly })).body).toEqual(p);
    const list = await api("GET", "/api/v1/status-pages", { key: readOnly });
    expect((list.body as { data: Page[] }).data.map((x) => x.id)).toContain(p.id);

    // PATCH: only what is given changes; components replace the list and keep their ids.
    const apiComponent = p.components[0]!.id;
    const patched = await api("PATCH", `/api/v1/status-pages/${p.id}`, { key, body: { description: "All our services", components: [{ monitorId: db1 }, { monitorId: api1, name: "Public API" }] } });
    expect(patched.status, patched.text).toBe(200);
    const after = patched.body as Page;
    expect(after).toMatchObject({ name: "Acme status", description: "All our services", language: "de" });
    expect(after.version).toBeGreaterThan(p.version);
    expect(after.components.map((c) => [c.name, c.sectionId])).toEqual([
      ["db-prod", null],
      ["Public API", null],
    ]);
    expect(after.components[1]!.id).toBe(apiComponent);
    expect(after.sections).toEqual([]);

    const audit = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, t.org.id), eq(auditLog.targetId, p.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["status_page.created", "status_page.updated"]);

    expect((await api("DELETE", `/api/v1/status-pages/${p.id}`, { key })).status).toBe(204);
    expect((await api("GET", `/api/v1/status-pages/${p.id}`, { key })).status).toBe(404);
  });

  it("GET and PUT /components", async () => {
    const p = await newPage();
    const put = await api("PUT", `/api/v1/status-pages/${p.id}/components`, { key, body: { components: [{ monitorId: web, name: "Web", sectionName: "Edge" }, { monitorId: api1 }] } });
    expect(put.status, put.text).toBe(200);
    const got = await api("GET", `/api/v1/status-pages/${p.id}/components`, { key: readOnly });
    expect((got.body as { data: Page["components"] }).data.map((c) => [c.name, c.sectionName, c.position])).toEqual([
      ["Web", "Edge", 0],
      ["api-prod-1", null, 1],
    ]);
    expect((got.body as { data: Page["components"] }).data[1]!.id).toBe(p.components[0]!.id);
  });

  it("validation errors name the field and say what is wrong", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "X", slug: "Ab" }, "slug", /at least 3/],
      [{ name: "X", slug: "Has Spaces" }, "slug", /lowercase/],
      [{ name: "X", slug: "admin" }, "slug", /reserved/],
      [{ name: "X", slug: slug(), brandColor: "red" }, "brandColor", /#rrggbb/],
      [{ name: "X", slug: slug(), timeZone: "Mars/Olympus" }, "timeZone", /IANA/],
      [{ name: "X", slug: slug(), logoUrl: "http://example.com/logo.png" }, "logoUrl", /https/],
      [{ name: "X", slug: slug(), language: "fr" }, "language", /en, de/],
      [{ name: "X", slug: slug(), customDomain: "https://status.example.com/" }, "customDomain", /host name/],
      [{ name: "X", slug: slug(), access: "password" }, "password", /Set a password/],
      [{ name: "X", slug: slug(), components: [{ monitorId: api1 }, { monitorId: api1 }] }, "components.1.monitorId", /already/],
      [{ name: "X", slug: slug(), unknown: 1 }, "_form", /./],
    ];
    for (const [body, field, msg] of cases) {
      const r = await api("POST", "/api/v1/status-pages", { key, body });
      expect(r.status, `${JSON.stringify(body)} → ${r.text}`).toBe(400);
      const details = (r.body as ErrorBody).error.details ?? {};
      const messages = details[field] ?? Object.values(details).flat();
      expect(messages.join(" "), `${field}: ${r.text}`).toMatch(msg);
    }
  });

  it("a taken slug is a 409 conflict naming the slug; another organization's monitor is a 404", async () => {
    const p = await newPage();
    const r = await api("POST", "/api/v1/status-pages", { key, body: { name: "Copy", slug: p.slug } });
    expect(r.status).toBe(409);
    expect((r.body as ErrorBody).error).toMatchObject({ code: "conflict", message: expect.stringMatching(/slug is taken/) });
    const other = await newPage();
    expect((await api("PATCH", `/api/v1/status-pages/${other.id}`, { key, body: { slug: p.slug } })).status).toBe(409);

    const stranger = await apiTenant("Stranger");
    const theirMonitor = await createMonitor({ ctx: stranger.ctx.EDITOR, input: tcp("theirs") });
    const r2 = await api("POST", "/api/v1/status-pages", { key, body: { name: "X", slug: slug(), components: [{ monitorId: theirMonitor.id }] } });
    expect(r2.status).toBe(404);
    expect(r2.text).not.toContain("theirs");
  });

  it("the password is write-only (bcrypt), never answered; a custom domain gets a token, reset when it changes", async () => {
    const host = `status-${randomUUID().slice(0, 8)}.example.com`;
    const host2 = host.replace(".com", ".org");
    const p = await newPage({ access: "password", password: "open sesame 42", customDomain: host.toUpperCase() });
    expect(p).toMatchObject({ access: "password", hasPassword: true, customDomain: host, domainVerifiedAt: null });
    expect(p.domainToken).toMatch(/^\S{20,}$/);
    const [row] = await db().select().from(statusPages).where(eq(statusPages.id, p.id));
    expect(row!.passwordHash).toMatch(/^\$2[aby]\$1[2-5]\$/);
    for (const r of [await api("GET", `/api/v1/status-pages/${p.id}`, { key }), await api("GET", "/api/v1/status-pages", { key })]) {
      expect(r.text).not.toContain("open sesame");
      expect(r.text).not.toContain(row!.passwordHash!);
      expect(r.text).not.toMatch(/passwordHash/);
    }
    // Changing something else keeps the password; switching to password access later needs none again.
    expect((await api("PATCH", `/api/v1/status-pages/${p.id}`, { key, body: { access: "public" } })).body).toMatchObject({ hasPassword: true });
    expect((await api("PATCH", `/api/v1/status-pages/${p.id}`, { key, body: { access: "password" } })).status).toBe(200);

    await db().update(statusPages).set({ domainVerifiedAt: new Date() }).where(eq(statusPages.id, p.id));
    const sameR = await api("PATCH", `/api/v1/status-pages/${p.id}`, { key, body: { customDomain: host } });
    expect(sameR.status, sameR.text).toBe(200);
    const same = sameR.body as Page & { domainVerifiedAt: string | null };
    expect(same.domainToken).toBe(p.domainToken);
    expect(same.domainVerifiedAt).not.toBeNull();
    const moved = (await api("PATCH", `/api/v1/status-pages/${p.id}`, { key, body: { customDomain: host2 } })).body as Page & { domainVerifiedAt: string | null };
    expect(moved.domainToken).not.toBe(p.domainToken);
    expect(moved.domainVerifiedAt).toBeNull();
    expect(((await api("POST", "/api/v1/status-pages", { key, body: { name: "X", slug: slug(), customDomain: host2 } })).body as ErrorBody).error.code).toBe("conflict");
    const cleared = (await api("PATCH", `/api/v1/status-pages/${p.id}`, { key, body: { customDomain: "" } })).body as Page;
    expect(cleared).toMatchObject({ customDomain: null, domainToken: null });
  });

  it("an empty PATCH changes nothing but the version; a VIEWER cannot write through the services", async () => {
    const p = await newPage();
    for (const path of [`/api/v1/status-pages/${p.id}`]) {
      const r = await api("PATCH", path, { key, body: {} });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ name: p.name, slug: p.slug, components: p.components });
    }
    await expect(createStatusPage({ ctx: t.ctx.VIEWER, input: { name: "X", slug: slug() } })).rejects.toMatchObject({ status: 403 });
    await expect(createStatusIncident({ ctx: t.ctx.VIEWER, pageId: p.id, input: { title: "T", body: "B" } })).rejects.toMatchObject({ status: 403 });
    await expect(removeStatusSubscriber({ ctx: t.ctx.VIEWER, pageId: p.id, email: "a@example.com" })).rejects.toMatchObject({ status: 403 });
  });

  it("a read-only key reads but cannot write", async () => {
    const p = await newPage();
    expect((await api("GET", `/api/v1/status-pages/${p.id}/incidents`, { key: readOnly })).status).toBe(200);
    for (const [m, path, body] of [
      ["POST", "/api/v1/status-pages", { name: "X", slug: slug() }],
      ["PATCH", `/api/v1/status-pages/${p.id}`, { name: "Y" }],
      ["POST", `/api/v1/status-pages/${p.id}/incidents`, { title: "T", body: "B" }],
      ["DELETE", `/api/v1/status-pages/${p.id}`, undefined],
    ] as const) {
      const r = await api(m, path, { key: readOnly, body });
      expect(r.status).toBe(403);
      expect((r.body as ErrorBody).error.code).toBe("insufficient_scope");
    }
  });
});

describe("incidents", () => {
  const notices = (pageId: string) => db().select().from(statusNotices).where(eq(statusNotices.pageId, pageId)).orderBy(statusNotices.id);

  it("a draft is not announced; publishing records incident_published; updates record incident_updated, then resolved sets resolvedAt", async () => {
    const p = await newPage();
    const componentId = p.components[0]!.id;
    const created = await api("POST", `/api/v1/status-pages/${p.id}/incidents`, {
      key,
      body: { title: "Elevated errors", impact: "major", body: "Looking into it.", components: [{ componentId, status: "partial_outage" }], publish: false },
    });
    expect(created.status, created.text).toBe(201);
    const draft = created.body as Incident;
    expect(draft).toMatchObject({
      draft: true,
      publishedAt: null,
      status: "investigating",
      components: [{ componentId, status: "partial_outage" }],
      updates: [{ status: "investigating", body: "Looking into it." }],
    });
    expect(await notices(p.id)).toHaveLength(0);
    expect((await listStatusIncidents({ ctx: t.ctx.VIEWER, filter: "draft" })).map((i) => i.id)).toContain(draft.id);

    const pub = await api("POST", `/api/v1/status-pages/${p.id}/incidents/${draft.id}/publish`, { key });
    expect(pub.status, pub.text).toBe(200);
    expect(pub.body).toMatchObject({ draft: false, updates: [{ body: "Looking into it." }] });
    expect((await notices(p.id)).map((n) => [n.kind, n.incidentId, n.componentIds])).toEqual([["incident_published", draft.id, [componentId]]]);
    expect((await api("POST", `/api/v1/status-pages/${p.id}/incidents/${draft.id}/publish`, { key })).status).toBe(200); // idempotent
    expect(await notices(p.id)).toHaveLength(1);
    const open = await api("GET", `/api/v1/status-pages/${p.id}/incidents?filter=open`, { key: readOnly });
    expect((open.body as { data: Incident[] }).data.map((i) => i.id)).toEqual([draft.id]);

    const upd = await api("POST", `/api/v1/status-pages/${p.id}/incidents/${draft.id}/updates`, {
      key,
      body: { status: "identified", body: "A bad deploy; rolling back.", components: [{ componentId, status: "degraded_performance" }] },
    });
    expect(upd.status, upd.text).toBe(201);
    // The update and the component's new shown status land together.
    expect(upd.body).toMatchObject({ status: "identified", resolvedAt: null, components: [{ componentId, status: "degraded_performance" }] });
    const done = await api("POST", `/api/v1/status-pages/${p.id}/incidents/${draft.id}/updates`, { key, body: { status: "resolved", body: "**Fixed.**" } });
    expect((done.body as Incident).resolvedAt).not.toBeNull();
    expect((done.body as Incident).updates.map((u) => u.status)).toEqual(["resolved", "identified", "investigating"]);
    expect((await notices(p.id)).map((n) => n.kind)).toEqual(["incident_published", "incident_updated", "incident_resolved"]);
    const list = await api("GET", `/api/v1/status-pages/${p.id}/incidents/${draft.id}/updates`, { key: readOnly });
    expect((list.body as { data: unknown[] }).data).toHaveLength(3);
    expect(((await api("GET", `/api/v1/status-pages/${p.id}/incidents?filter=resolved`, { key })).body as { data: Incident[] }).data.map((i) => i.id)).toEqual([draft.id]);
  });

  it("updates on a draft tell nobody; PATCH changes title, impact and components; DELETE removes it", async () => {
    const p = await newPage();
    const d = (await api("POST", `/api/v1/status-pages/${p.id}/incidents`, { key, body: { title: "T", body: "B", publish: false } })).body as Incident;
    await api("POST", `/api/v1/status-pages/${p.id}/incidents/${d.id}/updates`, { key, body: { status: "monitoring", body: "Watching." } });
    expect(await notices(p.id)).toHaveLength(0);
    const patched = await api("PATCH", `/api/v1/status-pages/${p.id}/incidents/${d.id}`, { key, body: { title: "Slow API", impact: "critical", components: [{ componentId: p.components[0]!.id }] } });
    expect(patched.body).toMatchObject({ title: "Slow API", impact: "critical", components: [{ componentId: p.components[0]!.id, status: null, name: "API" }] });
    expect((await api("PATCH", `/api/v1/status-pages/${p.id}/incidents/${d.id}`, { key, body: { components: [{ componentId: randomUUID() }] } })).status).toBe(404);
    expect((await api("DELETE", `/api/v1/status-pages/${p.id}/incidents/${d.id}`, { key })).status).toBe(204);
    expect((await api("GET", `/api/v1/status-pages/${p.id}/incidents/${d.id}`, { key })).status).toBe(404);
  });

  it("a body over 10,000 characters, an unknown status and a missing title are refused by field", async () => {
    const p = await newPage();
    const long = await api("POST", `/api/v1/status-pages/${p.id}/incidents`, { key, body: { title: "T", body: "x".repeat(10_001) } });
    expect((long.body as ErrorBody).error.details).toMatchObject({ body: [expect.stringMatching(/10,000/)] });
    const bad = await api("POST", `/api/v1/status-pages/${p.id}/incidents`, { key, body: { body: "B", status: "fixed" } });
    expect(Object.keys((bad.body as ErrorBody).error.details ?? {}).sort()).toEqual(["status", "title"]);
  });

  it("another page's incident is not found under this page", async () => {
    const a = await newPage();
    const b = await newPage();
    const i = (await api("POST", `/api/v1/status-pages/${a.id}/incidents`, { key, body: { title: "T", body: "B" } })).body as Incident;
    expect((await api("GET", `/api/v1/status-pages/${b.id}/incidents/${i.id}`, { key })).status).toBe(404);
    expect((await api("POST", `/api/v1/status-pages/${b.id}/incidents/${i.id}/updates`, { key, body: { status: "resolved", body: "x" } })).status).toBe(404);
  });
});

describe("maintenances", () => {
  type Maint = { id: string; maintenanceWindowId: string | null; status: string; componentIds: string[] };
  const windowOf = async (id: string) => (await db().select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id)))[0];

  it("creates the engine window that suppresses the components' monitors, keeps it in step, deletes it with the maintenance", async () => {
    const p = await newPage({ components: [{ monitorId: api1, name: "API" }, { monitorId: web }] });
    const startsAt = new Date(Date.now() - 60_000);
    const endsAt = new Date(Date.now() + 3600_000);
    const r = await api("POST", `/api/v1/status-pages/${p.id}/maintenances`, {
      key,
      body: { title: "DB upgrade", message: "Read-only for an hour.", startsAt, endsAt, componentIds: [p.components[0]!.id] },
    });
    expect(r.status, r.text).toBe(201);
    const m = r.body as Maint;
    expect(m).toMatchObject({ status: "in_progress", componentIds: [p.components[0]!.id] });
    const w = await windowOf(m.maintenanceWindowId!);
    expect(w).toMatchObject({ organizationId: t.org.id, kind: "one_off", monitorIds: [api1] });
    expect(windowCovers(w!, api1, new Date())).toBe(true);
    expect(windowCovers(w!, web, new Date())).toBe(false);

    // Every component when none are named; times follow a PATCH.
    const later = new Date(Date.now() + 7200_000);
    const patched = await api("PATCH", `/api/v1/status-pages/${p.id}/maintenances/${m.id}`, { key, body: { componentIds: [], endsAt: later } });
    expect(patched.status, patched.text).toBe(200);
    const w2 = await windowOf(m.maintenanceWindowId!);
    expect([...w2!.monitorIds].sort()).toEqual([api1, web].sort());
    expect(w2!.endsAt!.getTime()).toBe(later.getTime());
    expect(windowCovers(w2!, web, new Date())).toBe(true);

    const listed = await api("GET", `/api/v1/status-pages/${p.id}/maintenances`, { key: readOnly });
    expect((listed.body as { data: Maint[] }).data.map((x) => x.id)).toEqual([m.id]);

    expect((await api("DELETE", `/api/v1/status-pages/${p.id}/maintenances/${m.id}`, { key })).status).toBe(204);
    expect(await windowOf(m.maintenanceWindowId!)).toBeUndefined();
  });

  it("refuses an end before the start, more than 31 days, a PATCH that would invert the span, and a page without components", async () => {
    const p = await newPage();
    const at = (h: number) => new Date(Date.UTC(2030, 0, 1, h)).toISOString();
    const before = await api("POST", `/api/v1/status-pages/${p.id}/maintenances`, { key, body: { title: "M", startsAt: at(2), endsAt: at(1) } });
    expect((before.body as ErrorBody).error.details).toMatchObject({ endsAt: ["The end must be after the start"] });
    const long = await api("POST", `/api/v1/status-pages/${p.id}/maintenances`, { key, body: { title: "M", startsAt: at(0), endsAt: new Date(Date.UTC(2030, 1, 5)).toISOString() } });
    expect((long.body as ErrorBody).error.details).toMatchObject({ endsAt: ["A maintenance lasts at most 31 days"] });
    const m = (await api("POST", `/api/v1/status-pages/${p.id}/maintenances`, { key, body: { title: "M", startsAt: at(1), endsAt: at(2) } })).body as Maint;
    expect((await api("PATCH", `/api/v1/status-pages/${p.id}/maintenances/${m.id}`, { key, body: { startsAt: at(3) } })).status).toBe(400);

    const empty = await newPage({ components: [] });
    const none = await api("POST", `/api/v1/status-pages/${empty.id}/maintenances`, { key, body: { title: "M", startsAt: at(1), endsAt: at(2) } });
    expect(none.status).toBe(400);
    expect(await db().select().from(maintenanceWindows).where(eq(maintenanceWindows.organizationId, t.org.id))).not.toContainEqual(expect.objectContaining({ monitorIds: [] }));
  });

  it("deleting a page deletes its maintenances' engine windows", async () => {
    const p = await newPage();
    const m = (await api("POST", `/api/v1/status-pages/${p.id}/maintenances`, { key, body: { title: "M", startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-01T01:00:00Z" } })).body as Maint;
    await api("DELETE", `/api/v1/status-pages/${p.id}`, { key });
    expect(await windowOf(m.maintenanceWindowId!)).toBeUndefined();
  });
});

describe("subscribers", () => {
  it("counts by kind, confirmed and pending; removes by email or id; never lists addresses", async () => {
    const p = await createStatusPage({ ctx: t.ctx.EDITOR, input: { name: "Subs", slug: slug("subs") } });
    const add = (email: string | null, confirmed: boolean, kind: "email" | "webhook" = "email") =>
      db()
        .insert(statusSubscribers)
        .values({ organizationId: t.org.id, pageId: p.id, kind, email, confirmedAt: confirmed ? new Date() : null })
        .returning()
        .then((r) => r[0]!);
    await add("jane@example.com", true);
    await add("joe@example.com", false);
    const hook = await add(null, true, "webhook");

    const c = await api("GET", `/api/v1/status-pages/${p.id}/subscribers`, { key: readOnly });
    expect(c.body).toEqual({ email: { confirmed: 1, pending: 1 }, webhook: { confirmed: 1, pending: 0 }, total: 2 });
    expect(c.text).not.toContain("example.com");

    expect((await api("DELETE", `/api/v1/status-pages/${p.id}/subscribers?email=Jane@Example.com`, { key })).status).toBe(204);
    expect((await api("DELETE", `/api/v1/status-pages/${p.id}/subscribers?email=jane@example.com`, { key })).status).toBe(404);
    expect((await api("DELETE", `/api/v1/status-pages/${p.id}/subscribers`, { key })).status).toBe(400);
    expect((await api("DELETE", `/api/v1/status-pages/${p.id}/subscribers/${hook.id}`, { key })).status).toBe(204);
    expect((await api("GET", `/api/v1/status-pages/${p.id}/subscribers`, { key })).body).toEqual({ email: { confirmed: 0, pending: 1 }, webhook: { confirmed: 0, pending: 0 }, total: 0 });
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, t.org.id), eq(auditLog.action, "status_subscriber.removed")));
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain("jane@");
  });
});
