import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STATUSPAGE_DOCS, statuspageDocument } from "../../src/server/status/render/statuspage-json";
import { fixtureSnapshot } from "../helpers/status-snapshot-fixture";
import { statuspageSchemas } from "../helpers/statuspage-schemas";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/statuspage");
const expected = (doc: string) => JSON.parse(readFileSync(path.join(FIXTURES, `${doc.replace("/", "-")}.json`), "utf8")) as unknown;

describe("Statuspage v2 JSON", () => {
  it.each(STATUSPAGE_DOCS)("%s.json equals the checked-in fixture and Statuspage's strict shape", (doc) => {
    const out = JSON.parse(JSON.stringify(statuspageDocument(fixtureSnapshot(), doc))) as unknown;
    expect(out).toEqual(expected(doc));
    statuspageSchemas[doc].parse(out);
  });

  it("makes sections group components listing their children, with the worst child status", () => {
    const { components } = statuspageDocument(fixtureSnapshot(), "components") as {
      components: { id: string; name: string; group: boolean; group_id: string | null; status: string; components?: string[] }[];
    };
    expect(components.map((c) => c.name)).toEqual(["Status", "API", "REST API", "Webhooks", "Web", "Dashboard"]);
    const api = components.find((c) => c.name === "API")!;
    expect(api).toMatchObject({ group: true, group_id: null, status: "major_outage" });
    expect(api.components).toEqual(components.filter((c) => c.group_id === api.id).map((c) => c.id));
    expect(components.find((c) => c.name === "Status")).toMatchObject({ group: false, group_id: null });
    expect(components.filter((c) => !c.group).every((c) => !("components" in c))).toBe(true);
  });

  it("summary lists unresolved incidents and upcoming/active maintenances only; lists are split by state", () => {
    const s = fixtureSnapshot();
    const names = (doc: (typeof STATUSPAGE_DOCS)[number], key: string) => ((statuspageDocument(s, doc) as Record<string, { name: string }[]>)[key] ?? []).map((x) => x.name);
    expect(names("summary", "incidents")).toEqual(["API errors"]);
    expect(names("summary", "scheduled_maintenances")).toEqual(["Dashboard move", "Network work"]);
    expect(names("incidents", "incidents")).toEqual(["API errors", "Slow webhooks"]);
    expect(names("incidents/unresolved", "incidents")).toEqual(["API errors"]);
    expect(names("scheduled-maintenances/upcoming", "scheduled_maintenances")).toEqual(["Network work"]);
    expect(names("scheduled-maintenances/active", "scheduled_maintenances")).toEqual(["Dashboard move"]);
    expect(names("scheduled-maintenances", "scheduled_maintenances")).toEqual(["Network work", "Dashboard move", "Database upgrade"]);
  });

  it("keeps a page with no sections, incidents or maintenances in shape", () => {
    const s = { ...fixtureSnapshot(), sections: [], incidents: [], maintenances: [], indicator: "none" as const, description: "All Systems Operational", banner: "operational" as const };
    s.components = s.components.map((c) => ({ ...c, sectionId: null, status: "operational" as const }));
    for (const doc of STATUSPAGE_DOCS) statuspageSchemas[doc].parse(JSON.parse(JSON.stringify(statuspageDocument(s, doc))));
    expect(statuspageDocument(s, "status")).toMatchObject({ status: { indicator: "none", description: "All Systems Operational" } });
  });
});
