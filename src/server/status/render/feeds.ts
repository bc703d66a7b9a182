/**
 * Atom 1.0 (`/feed.atom`) and RSS 2.0 (`/feed.rss`) of a page's published incidents and its
 * maintenances, newest change first, from the snapshot. Pure. Each entry links to the
 * incident's page and carries its timeline as HTML (the updates' sanitised HTML from the
 * snapshot, times in the page's time zone), escaped once more for the XML. Entry ids are
 * `urn:uuid:` of the incident, so a page that moves to a custom domain does not repeat itself
 * in readers.
 */
import type { IncidentStatus, MaintenanceStatus } from "../model";
import type { IncidentSnapshot, MaintenanceSnapshot, PageSnapshot } from "../snapshot-types";
import { incidentUrl } from "./statuspage-json";
import { xmlText } from "./xml";

const MAX_ENTRIES = 100;

const STEP: Record<IncidentStatus | MaintenanceStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  scheduled: "Scheduled",
  in_progress: "In progress",
  completed: "Completed",
};

type Entry = { id: string; title: string; link: string; published: string; updated: string; html: string };

function timeIn(timeZone: string): (iso: string) => string {
  let f: Intl.DateTimeFormat;
  const opts: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" };
  try {
    f = new Intl.DateTimeFormat("en-GB", { ...opts, timeZone });
  } catch {
    f = new Intl.DateTimeFormat("en-GB", { ...opts, timeZone: "UTC" });
  }
  return (iso) => f.format(new Date(iso));
}

function incidentEntry(s: PageSnapshot, i: IncidentSnapshot, at: (iso: string) => string): Entry {
  const updates = i.updates.map((u) => `<p><small>${xmlText(at(u.createdAt))}</small><br><strong>${STEP[u.status]}</strong> - ${u.html}</p>`).join("");
  const affected = i.components.length ? `<p>This incident affected: ${i.components.map((c) => xmlText(c.name)).join(", ")}.</p>` : "";
  return { id: i.id, title: i.title, link: incidentUrl(s.page.url, i.id), published: i.publishedAt, updated: i.updatedAt, html: updates + affected };
}

function maintenanceEntry(s: PageSnapshot, m: MaintenanceSnapshot, at: (iso: string) => string): Entry {
  const affected = m.components.length ? `<p>Components: ${m.components.map((c) => xmlText(c.name)).join(", ")}.</p>` : "";
  const html = `<p><strong>${STEP[m.status]}</strong> - scheduled maintenance from ${xmlText(at(m.startsAt))} until ${xmlText(at(m.endsAt))}.</p>${m.html}${affected}`;
  return { id: m.id, title: m.title, link: incidentUrl(s.page.url, m.id), published: m.createdAt, updated: m.updatedAt, html };
}

function entriesOf(s: PageSnapshot): Entry[] {
  const at = timeIn(s.page.timeZone);
  return [...s.incidents.map((i) => incidentEntry(s, i, at)), ...s.maintenances.map((m) => maintenanceEntry(s, m, at))].sort((a, b) => b.updated.localeCompare(a.updated)).slice(0, MAX_ENTRIES);
}

const base = (s: PageSnapshot) => s.page.url.replace(/\/+$/, "");
const feedUpdated = (s: PageSnapshot, entries: Entry[]) => [s.page.updatedAt, ...entries.map((e) => e.updated)].reduce((a, b) => (b > a ? b : a));

export function atomFeed(s: PageSnapshot): string {
  const entries = entriesOf(s);
  const x = xmlText;
  const items = entries
    .map(
      (e) =>
        `<entry><id>urn:uuid:${x(e.id)}</id><title type="text">${x(e.title)}</title><link rel="alternate" type="text/html" href="${x(e.link)}"/>` +
        `<published>${x(e.published)}</published><updated>${x(e.updated)}</updated><content type="html">${x(e.html)}</content></entry>`,
    )
    .join("\n");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(s.page.language)}">` +
    `<id>urn:uuid:${x(s.page.id)}</id><title type="text">${x(s.page.name)} status</title><updated>${x(feedUpdated(s, entries))}</updated>` +
    `<link rel="alternate" type="text/html" href="${x(s.page.url)}"/><link rel="self" type="application/atom+xml" href="${x(base(s))}/feed.atom"/>` +
    `<author><name>${x(s.page.name)}</name></author>\n${items}\n</feed>\n`
  );
}

/** RFC 822 dates, as RSS 2.0 wants. */
const rfc822 = (iso: string) => new Date(iso).toUTCString();

export function rssFeed(s: PageSnapshot): string {
  const entries = entriesOf(s);
  const x = xmlText;
  const items = entries
    .map(
      (e) =>
        `<item><title>${x(e.title)}</title><link>${x(e.link)}</link><guid isPermaLink="false">urn:uuid:${x(e.id)}</guid>` +
        `<pubDate>${rfc822(e.published)}</pubDate><description>${x(e.html)}</description></item>`,
    )
    .join("\n");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>` +
    `<title>${x(s.page.name)} status</title><link>${x(s.page.url)}</link><description>${x(s.page.description ?? `Status of ${s.page.name}`)}</description>` +
    `<language>${x(s.page.language)}</language><lastBuildDate>${rfc822(feedUpdated(s, entries))}</lastBuildDate>` +
    `<atom:link href="${x(base(s))}/feed.rss" rel="self" type="application/rss+xml"/>\n${items}\n</channel></rss>\n`
  );
}
