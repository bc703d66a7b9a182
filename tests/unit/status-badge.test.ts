import { describe, expect, it } from "vitest";
import { BADGE_LABEL_MAX, capLabel, flatBadge, statusBadge, textWidth } from "../../src/server/status/render/badge";
import { fixtureSnapshot } from "../helpers/status-snapshot-fixture";
import { childrenOf, parseXml, textOf, type XmlElement } from "../helpers/xml-check";

/** The visible texts (label, message) and the message's background colour. */
function read(svg: string) {
  const root = parseXml(svg);
  expect(root.name).toBe("svg");
  const texts = childrenOf(root, "g")[1]!.children.filter((c): c is XmlElement => typeof c !== "string" && c.attrs["aria-hidden"] !== "true");
  const rects = childrenOf(childrenOf(root, "g")[0]!, "rect");
  return { label: textOf(texts[0]!), message: textOf(texts[1]!), color: rects[1]!.attrs.fill, width: Number(root.attrs.width), title: textOf(childrenOf(root, "title")[0]!) };
}

describe("badges", () => {
  it("shows the page's banner by default, with its name", () => {
    expect(read(statusBadge(fixtureSnapshot(), {})!)).toMatchObject({ label: "Acme Cloud", message: "partial outage", color: "#fe7d37", title: "Acme Cloud: partial outage" });
    const ok = { ...fixtureSnapshot(), banner: "operational" as const };
    expect(read(statusBadge(ok, {})!)).toMatchObject({ message: "operational", color: "#4c1" });
  });

  it("shows a component by id or by name, each state in its colour", () => {
    const s = fixtureSnapshot();
    expect(read(statusBadge(s, { component: "5b0c3f6e-0000-4000-8000-0000000000c1" })!)).toMatchObject({ label: "REST API", message: "major outage", color: "#e05d44" });
    expect(read(statusBadge(s, { component: "webhooks" })!)).toMatchObject({ label: "Webhooks", message: "degraded", color: "#dfb317" });
    expect(read(statusBadge(s, { component: "Dashboard" })!)).toMatchObject({ message: "maintenance", color: "#007ec6" });
    expect(read(statusBadge(s, { component: "Status" })!)).toMatchObject({ message: "operational", color: "#4c1" });
    expect(statusBadge(s, { component: "nope" })).toBeNull();
  });

  it("adds the 30- or 90-day uptime", () => {
    const s = fixtureSnapshot();
    expect(read(statusBadge(s, { component: "REST API", uptime: 30 })!).message).toBe("major outage · 99.5%");
    expect(read(statusBadge(s, { component: "REST API", uptime: 90 })!).message).toBe("major outage · 99.95%");
    expect(read(statusBadge(s, { component: "Webhooks", uptime: 90 })!).message).toBe("degraded · no data");
    // The page: the mean of the components that had checks (100, 99.5, 100).
    expect(read(statusBadge(s, { uptime: 30 })!).message).toBe("partial outage · 99.83%");
  });

  it("takes a label override, capped, and escapes it", () => {
    const s = fixtureSnapshot();
    const hostile = `<script>alert("x")</script>&'`;
    const svg = statusBadge(s, { label: hostile })!;
    expect(svg).not.toContain("<script>");
    expect(read(svg).label).toBe(hostile);
    const long = read(statusBadge(s, { label: "x".repeat(500) })!).label;
    expect([...long]).toHaveLength(BADGE_LABEL_MAX);
    expect(long.endsWith("…")).toBe(true);
    expect(capLabel("  a \n b  ")).toBe("a b");
  });

  it("sizes the badge from the text", () => {
    expect(textWidth("operational")).toBeGreaterThan(60);
    expect(textWidth("iiii")).toBeLessThan(textWidth("WWWW"));
    const a = read(flatBadge("status", "up", "#4c1")).width;
    const b = read(flatBadge("status page of a long name", "up", "#4c1")).width;
    expect(b).toBeGreaterThan(a + 100);
  });
});
