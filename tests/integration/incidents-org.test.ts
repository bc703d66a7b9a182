import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, incidents, statusIncidents, statusIncidentUpdates, statusPages } from "../../src/server/db/schema";
import { Conflict, Forbidden, Invalid, NotFound } from "../../src/server/errors";
import { acknowledgeIncident } from "../../src/server/services/incidents/acknowledge";
import { addIncidentNote } from "../../src/server/services/incidents/add-note";
import { getIncidentTimeline } from "../../src/server/services/incidents/get-incident-timeline";
import { listOrgIncidents } from "../../src/server/services/incidents/list-org-incidents";
import { createTenant } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";

async function openIncident(orgId: string, over: Partial<typeof incidents.$inferInsert> = {}) {
  const monitor = await insertMonitor(orgId, { name: `API ${Math.random().toString(36).slice(2, 6)}`, state: "DOWN" });
  const [i] = await db()
    .insert(incidents)
    .values({ organizationId: orgId, monitorId: monitor.id, openedAt: new Date(Date.now() - 600_000), causeErrorClass: "status", causeStatusCode: 503, regionsDown: ["eu", "us"], ...over })
    .returning();
  return { monitor, incident: i! };
}

describe("organization-wide incidents", () => {
  it("acknowledging records who and when, once, and is audited", async () => {
    const t = await createTenant();
    const { incident } = await openIncident(t.org.id);
    const before = Date.now();
    const acked = await acknowledgeIncident({ ctx: t.ctx.EDITOR, incidentId: incident.id });
    expect(acked.acknowledgedById).toBe(t.editor.id);
    expect(acked.acknowledgedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // A second acknowledgement (another person) changes nothing: the first one stands.
    const again = await acknowledgeIncident({ ctx: t.ctx.ADMIN, incidentId: incident.id });
    expect(again.acknowledgedById).toBe(t.editor.id);
    expect(again.acknowledgedAt!.getTime()).toBe(acked.acknowledgedAt!.getTime());
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, t.org.id), eq(auditLog.action, "incident.acknowledged")));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(t.editor.id);

    const timeline = await getIncidentTimeline({ ctx: t.ctx.VIEWER, incidentId: incident.id });
    expect(timeline.acknowledgedBy).toBe("Ed Editor");
    expect(timeline.entries.map((e) => e.kind)).toEqual(["opened", "regions_down", "acknowledged"]);
  });

  it("a closed incident cannot be acknowledged", async () => {
    const t = await createTenant();
    const { incident } = await openIncident(t.org.id, { closedAt: new Date(), durationSeconds: 600 });
    await expect(acknowledgeIncident({ ctx: t.ctx.EDITOR, incidentId: incident.id })).rejects.toBeInstanceOf(Conflict);
  });

  it("notes are added by editors, validated, and appear in the timeline with their author", async () => {
    const t = await createTenant();
    const { incident } = await openIncident(t.org.id);
    await addIncidentNote({ ctx: t.ctx.EDITOR, incidentId: incident.id, input: { body: "Database failover in progress.\nWatching replication." } });
    const empty = await addIncidentNote({ ctx: t.ctx.EDITOR, incidentId: incident.id, input: { body: "   " } }).catch((e) => e);
    expect(empty).toBeInstanceOf(Invalid);
    expect(empty.fields.body).toBeTruthy();
    const timeline = await getIncidentTimeline({ ctx: t.ctx.VIEWER, incidentId: incident.id });
    const note = timeline.entries.find((e) => e.kind === "note");
    expect(note).toMatchObject({ kind: "note", by: "Ed Editor", body: "Database failover in progress.\nWatching replication." });
  });

  it("VIEWER reads but cannot acknowledge or add notes", async () => {
    const t = await createTenant();
    const { incident } = await openIncident(t.org.id);
    await expect(acknowledgeIncident({ ctx: t.ctx.VIEWER, incidentId: incident.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(addIncidentNote({ ctx: t.ctx.VIEWER, incidentId: incident.id, input: { body: "hi" } })).rejects.toBeInstanceOf(Forbidden);
    expect((await listOrgIncidents({ ctx: t.ctx.VIEWER })).map((i) => i.id)).toEqual([incident.id]);
  });

  it("another organization's incident is NotFound for every verb, and never listed", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const { incident } = await openIncident(other.org.id);
    await expect(acknowledgeIncident({ ctx: t.ctx.ADMIN, incidentId: incident.id })).rejects.toBeInstanceOf(NotFound);
    await expect(addIncidentNote({ ctx: t.ctx.ADMIN, incidentId: incident.id, input: { body: "x" } })).rejects.toBeInstanceOf(NotFound);
    await expect(getIncidentTimeline({ ctx: t.ctx.ADMIN, incidentId: incident.id })).rejects.toBeInstanceOf(NotFound);
    await expect(getIncidentTimeline({ ctx: t.ctx.ADMIN, incidentId: "not-a-uuid" })).rejects.toBeInstanceOf(NotFound);
    expect(await listOrgIncidents({ ctx: t.ctx.ADMIN })).toEqual([]);
    const [row] = await db().select().from(incidents).where(eq(incidents.id, incident.id));
    expect(row!.acknowledgedAt).toBeNull();
  });

  it("lists monitor and status-page incidents together, filtered open / acknowledged / resolved, and links them in the timeline", async () => {
    const t = await createTenant();
    const a = await openIncident(t.org.id);
    const b = await openIncident(t.org.id);
    const c = await openIncident(t.org.id, { closedAt: new Date(), durationSeconds: 300 });
    await acknowledgeIncident({ ctx: t.ctx.EDITOR, incidentId: b.incident.id });
    const [page] = await db()
      .insert(statusPages)
      .values({ organizationId: t.org.id, slug: `inc-${Math.random().toString(36).slice(2, 10)}`, name: "Acme status" })
      .returning();
    const [draft] = await db().insert(statusIncidents).values({ organizationId: t.org.id, pageId: page!.id, monitorIncidentId: a.incident.id, title: "API degraded" }).returning();
    const [published] = await db()
      .insert(statusIncidents)
      .values({ organizationId: t.org.id, pageId: page!.id, monitorIncidentId: b.incident.id, title: "Checkout errors", publishedAt: new Date(), status: "identified" })
      .returning();
    await db().insert(statusIncidentUpdates).values({ organizationId: t.org.id, incidentId: published!.id, status: "identified", body: "We found the **cause**.", createdById: t.editor.id });

    const all = await listOrgIncidents({ ctx: t.ctx.VIEWER });
    expect(all).toHaveLength(5);
    const ids = async (state: string) => (await listOrgIncidents({ ctx: t.ctx.VIEWER, input: { state } })).map((i) => `${i.kind}:${i.id}`).sort();
    expect(await ids("open")).toEqual([`monitor:${a.incident.id}`, `status:${draft!.id}`].sort());
    expect(await ids("acknowledged")).toEqual([`monitor:${b.incident.id}`, `status:${published!.id}`].sort());
    expect(await ids("resolved")).toEqual([`monitor:${c.incident.id}`]);
    await expect(listOrgIncidents({ ctx: t.ctx.VIEWER, input: { state: "bogus" } })).rejects.toBeInstanceOf(Invalid);

    const timeline = await getIncidentTimeline({ ctx: t.ctx.VIEWER, incidentId: b.incident.id });
    expect(timeline.statusIncidents).toEqual([expect.objectContaining({ id: published!.id, title: "Checkout errors", pageName: "Acme status", published: true })]);
    expect(timeline.entries.map((e) => e.kind).sort()).toEqual(["acknowledged", "opened", "regions_down", "status_incident", "status_published", "status_update"]);
    expect(timeline.entries[0]!.kind).toBe("opened");
    const times = timeline.entries.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(timeline.entries.find((e) => e.kind === "status_update")).toMatchObject({ body: "We found the **cause**.", by: "Ed Editor", status: "identified" });
  });
});
