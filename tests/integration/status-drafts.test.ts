import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { incidents, statusIncidentComponents, statusIncidents, statusIncidentUpdates, statusNotices } from "../../src/server/db/schema";
import { recordResults } from "../../src/server/monitors/record-results";
import { createMonitor } from "../../src/server/services/monitors/create";
import { createStatusPage } from "../../src/server/services/status-pages/create";
import { publishStatusIncident } from "../../src/server/services/status-incidents/publish";
import { postStatusIncidentUpdate } from "../../src/server/services/status-incidents/post-update";
import { createStatusMaintenance } from "../../src/server/services/status-maintenances/create";
import { createTenant } from "../helpers/factories";
import { down, res, up } from "../helpers/monitor-factory";

/**
 * Draft incidents through the real engine path (recordResults): a monitor that is a
 * component going DOWN prepares a draft on every page showing it, in the engine's transaction.
 */
const slug = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 10)}`;
const tcp = (name: string) => ({ name, type: "tcp", host: "127.0.0.1", port: 9, paused: false, confirmations: 1, recoveries: 1 });
const draftsOf = (pageId: string) => db().select().from(statusIncidents).where(eq(statusIncidents.pageId, pageId));
const noticesOf = (pageId: string) => db().select().from(statusNotices).where(eq(statusNotices.pageId, pageId)).orderBy(statusNotices.id);
const updatesOf = (incidentId: string) => db().select().from(statusIncidentUpdates).where(eq(statusIncidentUpdates.incidentId, incidentId)).orderBy(statusIncidentUpdates.createdAt);

async function setup(autoPublishIncidents: boolean) {
  const t = await createTenant();
  const m = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("API server") });
  const other = await createMonitor({ ctx: t.ctx.EDITOR, input: tcp("Unshown") });
  const page = await createStatusPage({ ctx: t.ctx.EDITOR, input: { name: "Acme", slug: slug("drafts"), autoPublishIncidents, components: [{ monitorId: m.id, name: "API" }] } });
  return { t, m, other, page };
}

describe("draft incidents from the engine", () => {
  it("a component's monitor going DOWN prepares one unpublished draft (major, the component in major outage, linked); recovery deletes it", async () => {
    const { m, other, page } = await setup(false);
    await recordResults([res(other.id, down())]);
    expect(await draftsOf(page.id)).toHaveLength(0); // not a component of the page

    await recordResults([res(m.id, down())]);
    const [inc] = await db().select().from(incidents).where(eq(incidents.monitorId, m.id));
    const drafts = await draftsOf(page.id);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ title: "API is down", impact: "major", status: "investigating", publishedAt: null, monitorIncidentId: inc!.id });
    const comps = await db().select().from(statusIncidentComponents).where(eq(statusIncidentComponents.incidentId, drafts[0]!.id));
    expect(comps).toEqual([{ incidentId: drafts[0]!.id, componentId: page.components[0]!.id, status: "major_outage" }]);
    expect(await noticesOf(page.id)).toHaveLength(0); // a draft tells nobody

    await recordResults([res(m.id, down())]); // still DOWN: no second draft
    expect(await draftsOf(page.id)).toHaveLength(1);

    await recordResults([res(m.id, up())]);
    expect(await draftsOf(page.id)).toHaveLength(0);
    expect(await noticesOf(page.id)).toHaveLength(0);
  });

  it("auto-publishing pages publish at once with an automatic update and resolve on recovery, each with its notice", async () => {
    const { m, page } = await setup(true);
    await recordResults([res(m.id, down())]);
    const [inc] = await draftsOf(page.id);
    expect(inc!.publishedAt).not.toBeNull();
    expect((await updatesOf(inc!.id)).map((u) => [u.status, u.createdById])).toEqual([["investigating", null]]);
    expect((await noticesOf(page.id)).map((n) => [n.kind, n.incidentId, n.componentIds])).toEqual([["incident_published", inc!.id, [page.components[0]!.id]]]);

    await recordResults([res(m.id, up())]);
    const [after] = await draftsOf(page.id);
    expect(after).toMatchObject({ status: "resolved" });
    expect(after!.resolvedAt).not.toBeNull();
    expect((await updatesOf(inc!.id)).map((u) => u.status)).toEqual(["investigating", "resolved"]);
    expect((await noticesOf(page.id)).map((n) => n.kind)).toEqual(["incident_published", "incident_resolved"]);
  });

  it("a draft published by an EDITOR, or one a person wrote to, is theirs to resolve", async () => {
    const { t, m, page } = await setup(false);
    await recordResults([res(m.id, down())]);
    const [draft] = await draftsOf(page.id);
    const published = await publishStatusIncident({ ctx: t.ctx.EDITOR, pageId: page.id, incidentId: draft!.id, input: { body: "We are on it." } });
    expect(published).toMatchObject({ draft: false, updates: [{ status: "investigating", body: "We are on it." }] });
    expect((await noticesOf(page.id)).map((n) => n.kind)).toEqual(["incident_published"]);

    await recordResults([res(m.id, up())]);
    const [still] = await draftsOf(page.id);
    expect(still).toMatchObject({ status: "investigating", resolvedAt: null });
    const done = await postStatusIncidentUpdate({ ctx: t.ctx.EDITOR, pageId: page.id, incidentId: draft!.id, input: { status: "resolved", body: "Fixed." } });
    expect(done.resolvedAt).not.toBeNull();
  });

  it("no draft while the monitor is in an announced maintenance", async () => {
    const { t, m, page } = await setup(true);
    await createStatusMaintenance({ ctx: t.ctx.EDITOR, pageId: page.id, input: { title: "DB upgrade", startsAt: new Date(Date.now() - 60_000), endsAt: new Date(Date.now() + 3600_000) } });
    await recordResults([res(m.id, down())]);
    expect(await db().select().from(incidents).where(eq(incidents.monitorId, m.id))).toMatchObject([{ duringMaintenance: true }]);
    expect(await draftsOf(page.id)).toHaveLength(0);
  });

  it("a page showing the monitor in another organization cannot exist: pages only take their organization's monitors", async () => {
    const { m } = await setup(false);
    const stranger = await createTenant("Stranger");
    await expect(createStatusPage({ ctx: stranger.ctx.EDITOR, input: { name: "X", slug: slug("steal"), components: [{ monitorId: m.id }] } })).rejects.toMatchObject({ status: 404 });
  });
});
