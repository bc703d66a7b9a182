import { describe, expect, it } from "vitest";
import { atomFeed, rssFeed } from "../../src/server/status/render/feeds";
import { fixtureSnapshot } from "../helpers/status-snapshot-fixture";
import { childrenOf, parseXml, textOf } from "../helpers/xml-check";

const HOSTILE = `<script>alert(1)</script>&"' \u0001 ]]> &amp;`;
const hostile = () => {
  const s = fixtureSnapshot();
  s.page.name = `Acme ${HOSTILE}`;
  s.page.description = HOSTILE;
  s.incidents[0]!.title = HOSTILE;
  s.incidents[0]!.components[0]!.name = HOSTILE;
  s.maintenances[1]!.title = HOSTILE;
  return s;
};
/** What the text becomes: the same, less the control character XML cannot carry. */
const SURVIVES = HOSTILE.replace("\u0001", "");

describe("Atom feed", () => {
  it("is well-formed Atom with one entry per incident and maintenance, newest change first, linking to the incident page", () => {
    const feed = parseXml(atomFeed(fixtureSnapshot()));
    expect(feed.name).toBe("feed");
    expect(feed.attrs.xmlns).toBe("http://www.w3.org/2005/Atom");
    for (const tag of ["id", "title", "updated", "author"]) expect(childrenOf(feed, tag)).toHaveLength(1);
    expect(textOf(childrenOf(feed, "updated")[0]!)).toBe("2026-12-01T11:55:00.000Z");
    const self = childrenOf(feed, "link").find((l) => l.attrs.rel === "self")!;
    expect(self.attrs.href).toBe("https://perigee.example.com/status/acme/feed.atom");
    const entries = childrenOf(feed, "entry");
    expect(entries.map((e) => textOf(childrenOf(e, "title")[0]!))).toEqual(["API errors", "Network work", "Dashboard move", "Slow webhooks", "Database upgrade"]);
    const first = entries[0]!;
    expect(textOf(childrenOf(first, "id")[0]!)).toBe("urn:uuid:5b0c3f6e-0000-4000-8000-0000000000e1");
    expect(childrenOf(first, "link")[0]!.attrs.href).toBe("https://perigee.example.com/status/acme/incidents/5b0c3f6e-0000-4000-8000-0000000000e1");
    const content = childrenOf(first, "content")[0]!;
    expect(content.attrs.type).toBe("html");
    // The timeline, newest first, in the page's time zone (Berlin is UTC+1 in December).
    const html = textOf(content);
    expect(html).toContain("<strong>Identified</strong> - <p>A <strong>bad deploy</strong>.</p>");
    expect(html.indexOf("Identified")).toBeLessThan(html.indexOf("Investigating"));
    expect(html).toContain("12:55");
  });

  it("escapes every text: a title with <script>&\"' stays text", () => {
    const xml = atomFeed(hostile());
    expect(xml).not.toContain("<script>");
    const feed = parseXml(xml);
    expect(textOf(childrenOf(feed, "title")[0]!)).toBe(`Acme ${SURVIVES} status`);
    const titles = childrenOf(feed, "entry").map((e) => textOf(childrenOf(e, "title")[0]!));
    expect(titles).toContain(SURVIVES);
    // Inside the HTML content the name is escaped as HTML once more: decoded XML still shows no tag.
    const content = textOf(childrenOf(childrenOf(feed, "entry")[0]!, "content")[0]!);
    expect(content).toContain("&lt;script&gt;");
    expect(content).not.toContain("<script>");
  });

  it("is valid with no incidents or maintenances", () => {
    const s = { ...fixtureSnapshot(), incidents: [], maintenances: [] };
    const feed = parseXml(atomFeed(s));
    expect(childrenOf(feed, "entry")).toHaveLength(0);
    expect(textOf(childrenOf(feed, "updated")[0]!)).toBe(s.page.updatedAt);
  });
});

describe("RSS feed", () => {
  it("is well-formed RSS 2.0 with items, RFC 822 dates and a self link", () => {
    const rss = parseXml(rssFeed(fixtureSnapshot()));
    expect(rss.name).toBe("rss");
    expect(rss.attrs.version).toBe("2.0");
    const channel = childrenOf(rss, "channel")[0]!;
    for (const tag of ["title", "link", "description", "lastBuildDate"]) expect(childrenOf(channel, tag)).toHaveLength(1);
    expect(childrenOf(channel, "atom:link")[0]!.attrs.href).toBe("https://perigee.example.com/status/acme/feed.rss");
    const items = childrenOf(channel, "item");
    expect(items).toHaveLength(5);
    expect(textOf(childrenOf(items[0]!, "pubDate")[0]!)).toBe("Tue, 01 Dec 2026 11:50:00 GMT");
    expect(textOf(childrenOf(items[0]!, "link")[0]!)).toBe("https://perigee.example.com/status/acme/incidents/5b0c3f6e-0000-4000-8000-0000000000e1");
    expect(childrenOf(items[0]!, "guid")[0]!.attrs.isPermaLink).toBe("false");
  });

  it("escapes every text", () => {
    const xml = rssFeed(hostile());
    expect(xml).not.toContain("<script>");
    const channel = childrenOf(parseXml(xml), "channel")[0]!;
    expect(textOf(childrenOf(channel, "description")[0]!)).toBe(SURVIVES);
    expect(childrenOf(channel, "item").map((e) => textOf(childrenOf(e, "title")[0]!))).toContain(SURVIVES);
  });

  it("links entries under a custom domain's root", () => {
    const s = fixtureSnapshot();
    s.page.url = "https://status.acme.test/";
    const channel = childrenOf(parseXml(rssFeed(s)), "channel")[0]!;
    expect(childrenOf(channel, "atom:link")[0]!.attrs.href).toBe("https://status.acme.test/feed.rss");
    expect(textOf(childrenOf(childrenOf(channel, "item")[0]!, "link")[0]!)).toBe("https://status.acme.test/incidents/5b0c3f6e-0000-4000-8000-0000000000e1");
  });
});
