import type { ComponentSnapshot, PageSnapshot } from "../../src/server/status/snapshot-types";

/** A fixed page snapshot for the renderers' fixture tests: sections, an ungrouped component, open and resolved incidents, maintenances in each state. */
const days = (uptime: number | null): ComponentSnapshot["days"] =>
  Array.from({ length: 90 }, (_, i) => ({ date: new Date(Date.UTC(2026, 8, 3) + i * 86_400_000).toISOString().slice(0, 10), uptime, incidents: [] }));

const component = (c: Partial<ComponentSnapshot> & Pick<ComponentSnapshot, "id" | "name" | "sectionId" | "position" | "status">): ComponentSnapshot => ({
  description: null,
  days: days(100),
  uptime30: 100,
  uptime90: 99.95,
  responseTimes: null,
  createdAt: "2026-09-01T10:00:00.000Z",
  updatedAt: "2026-11-30T08:00:00.000Z",
  ...c,
});

export function fixtureSnapshot(): PageSnapshot {
  return {
    v: 1,
    builtAt: "2026-12-01T12:00:00.000Z",
    page: {
      id: "5b0c3f6e-0000-4000-8000-000000000001",
      slug: "acme",
      name: "Acme Cloud",
      description: "Acme's services",
      logoUrl: null,
      brandColor: "#2563eb",
      timeZone: "Europe/Berlin",
      language: "en",
      url: "https://perigee.example.com/status/acme",
      updatedAt: "2026-11-20T09:00:00.000Z",
    },
    indicator: "major",
    description: "Partial System Outage",
    banner: "partial_outage",
    sections: [
      { id: "5b0c3f6e-0000-4000-8000-0000000000a1", name: "API", position: 1 },
      { id: "5b0c3f6e-0000-4000-8000-0000000000a2", name: "Web", position: 2 },
    ],
    components: [
      component({ id: "5b0c3f6e-0000-4000-8000-0000000000c0", name: "Status", sectionId: null, position: 0, status: "operational", description: "This page" }),
      component({
        id: "5b0c3f6e-0000-4000-8000-0000000000c1",
        name: "REST API",
        sectionId: "5b0c3f6e-0000-4000-8000-0000000000a1",
        position: 1,
        status: "major_outage",
        updatedAt: "2026-12-01T11:50:00.000Z",
        uptime30: 99.5,
      }),
      component({
        id: "5b0c3f6e-0000-4000-8000-0000000000c2",
        name: "Webhooks",
        sectionId: "5b0c3f6e-0000-4000-8000-0000000000a1",
        position: 2,
        status: "degraded_performance",
        uptime30: null,
        uptime90: null,
      }),
      component({ id: "5b0c3f6e-0000-4000-8000-0000000000c3", name: "Dashboard", sectionId: "5b0c3f6e-0000-4000-8000-0000000000a2", position: 1, status: "under_maintenance" }),
    ],
    incidents: [
      {
        id: "5b0c3f6e-0000-4000-8000-0000000000e1",
        title: "API errors",
        impact: "major",
        status: "identified",
        createdAt: "2026-12-01T11:48:00.000Z",
        publishedAt: "2026-12-01T11:50:00.000Z",
        updatedAt: "2026-12-01T11:55:00.000Z",
        resolvedAt: null,
        components: [{ id: "5b0c3f6e-0000-4000-8000-0000000000c1", name: "REST API", status: "major_outage" }],
        updates: [
          { id: "5b0c3f6e-0000-4000-8000-0000000000f2", status: "identified", body: "A **bad deploy**.", html: "<p>A <strong>bad deploy</strong>.</p>", createdAt: "2026-12-01T11:55:00.000Z" },
          { id: "5b0c3f6e-0000-4000-8000-0000000000f1", status: "investigating", body: "Looking into it.", html: "<p>Looking into it.</p>", createdAt: "2026-12-01T11:50:00.000Z" },
        ],
      },
      {
        id: "5b0c3f6e-0000-4000-8000-0000000000e0",
        title: "Slow webhooks",
        impact: "minor",
        status: "resolved",
        createdAt: "2026-11-10T07:00:00.000Z",
        publishedAt: "2026-11-10T07:05:00.000Z",
        updatedAt: "2026-11-10T09:00:00.000Z",
        resolvedAt: "2026-11-10T09:00:00.000Z",
        components: [{ id: "5b0c3f6e-0000-4000-8000-0000000000c2", name: "Webhooks", status: "degraded_performance" }],
        updates: [
          { id: "5b0c3f6e-0000-4000-8000-0000000000f5", status: "resolved", body: "Fixed.", html: "<p>Fixed.</p>", createdAt: "2026-11-10T09:00:00.000Z" },
          { id: "5b0c3f6e-0000-4000-8000-0000000000f4", status: "monitoring", body: "Watching.", html: "<p>Watching.</p>", createdAt: "2026-11-10T08:00:00.000Z" },
          { id: "5b0c3f6e-0000-4000-8000-0000000000f3", status: "investigating", body: "Slow.", html: "<p>Slow.</p>", createdAt: "2026-11-10T07:05:00.000Z" },
        ],
      },
    ],
    maintenances: [
      {
        id: "5b0c3f6e-0000-4000-8000-0000000000d0",
        title: "Database upgrade",
        message: "Postgres 16.",
        html: "<p>Postgres 16.</p>",
        status: "completed",
        startsAt: "2026-11-01T02:00:00.000Z",
        endsAt: "2026-11-01T03:00:00.000Z",
        components: [{ id: "5b0c3f6e-0000-4000-8000-0000000000c1", name: "REST API" }],
        createdAt: "2026-10-25T10:00:00.000Z",
        updatedAt: "2026-10-25T10:00:00.000Z",
      },
      {
        id: "5b0c3f6e-0000-4000-8000-0000000000d1",
        title: "Dashboard move",
        message: "New region.",
        html: "<p>New region.</p>",
        status: "in_progress",
        startsAt: "2026-12-01T11:00:00.000Z",
        endsAt: "2026-12-01T13:00:00.000Z",
        components: [{ id: "5b0c3f6e-0000-4000-8000-0000000000c3", name: "Dashboard" }],
        createdAt: "2026-11-28T10:00:00.000Z",
        updatedAt: "2026-11-28T10:00:00.000Z",
      },
      {
        id: "5b0c3f6e-0000-4000-8000-0000000000d2",
        title: "Network work",
        message: "Short blips.",
        html: "<p>Short blips.</p>",
        status: "scheduled",
        startsAt: "2026-12-05T01:00:00.000Z",
        endsAt: "2026-12-05T02:00:00.000Z",
        components: [],
        createdAt: "2026-11-29T10:00:00.000Z",
        updatedAt: "2026-11-29T10:00:00.000Z",
      },
    ],
  };
}
