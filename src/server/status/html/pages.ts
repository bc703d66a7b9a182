/**
 * The public status pages as HTML strings, rendered from a snapshot (no database, no React,
 * no JavaScript): the current status, the 90-day history, one incident, and the password
 * form of a private page. Every value from the snapshot is escaped here; update bodies come
 * pre-rendered by status/markdown.ts. Renders are cached per snapshot and view.
 */
import { fill, STRINGS } from "../i18n";
import type { Strings } from "../i18n/en";
import type { ComponentSnapshot, IncidentSnapshot, MaintenanceSnapshot, PageSnapshot } from "../snapshot-types";
import { accent, esc, plainTime, safeImage, time } from "./format";
import { STYLES } from "./styles";

export type RenderOpts = {
  /** "" on a custom domain, else "/status/{slug}". */
  base: string;
  stale: boolean;
};

type Ctx = { s: PageSnapshot; t: Strings; lang: string; tz: string; o: RenderOpts };

const ctxOf = (s: PageSnapshot, o: RenderOpts): Ctx => ({ s, t: STRINGS[s.page.language] ?? STRINGS.en, lang: s.page.language, tz: s.page.timeZone, o });

function layout(c: Ctx, title: string, body: string, opts: { feeds?: boolean; footer?: boolean } = {}): string {
  const { s, t, o } = c;
  const a = accent(s.page.brandColor);
  const logo = safeImage(s.page.logoUrl);
  const home = o.base || "/";
  const feeds = opts.feeds
    ? `<link rel="alternate" type="application/atom+xml" title="${esc(t.atom)}" href="${esc(o.base)}/feed.atom"><link rel="alternate" type="application/rss+xml" title="${esc(t.rss)}" href="${esc(o.base)}/feed.rss">`
    : "";
  const footer =
    opts.footer === false
      ? ""
      : `<footer class="wrap foot"><p>${esc(fill(t.lastUpdated, { time: plainTime(s.builtAt, c.lang, c.tz) }))}</p><p><a href="${esc(o.base)}/feed.atom">${esc(t.atom)}</a> · <a href="${esc(o.base)}/feed.rss">${esc(t.rss)}</a> · ${esc(t.poweredBy)}</p></footer>`;
  return `<!doctype html><html lang="${esc(t.htmlLang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${esc(title)}</title>${feeds}<style>:root{--accent:${a.bg};--on-accent:${a.fg}}${STYLES}</style></head><body><a class="skip" href="#main">${esc(t.skipToContent)}</a><header class="top"><div class="wrap"><a class="brand" href="${esc(home)}">${logo ? `<img src="${esc(logo)}" alt="" height="32">` : ""}<span>${esc(s.page.name)}</span></a></div></header><main id="main" class="wrap">${body}</main>${footer}</body></html>`;
}

function staleNote(c: Ctx): string {
  return c.o.stale ? `<p class="stale" role="status">${esc(fill(c.t.mayBeOutdated, { time: plainTime(c.s.builtAt, c.lang, c.tz) }))}</p>` : "";
}

const barClass = (u: number | null) => (u === null ? "bn" : u >= 99.9 ? "b0" : u >= 99 ? "b1" : u >= 95 ? "b2" : "b3");

function bars(c: Ctx, comp: ComponentSnapshot): string {
  const { t } = c;
  const items = comp.days
    .map((d) => {
      const up = d.uptime === null ? t.noData : `${d.uptime.toFixed(2)} % ${t.uptime}`;
      const inc = d.incidents.length ? `, ${fill(t.dayIncidents, { n: d.incidents.length })}: ${d.incidents.map((i) => i.title).join("; ")}` : "";
      // Terse markup (unquoted class, <i> for the tip): a page of 50 components has 4,500 bars.
      return `<li class=${d.incidents.length && (d.uptime ?? 100) >= 99.9 ? "b1" : barClass(d.uptime)} tabindex=0><i>${esc(`${d.date}: ${up}${inc}`)}</i></li>`;
    })
    .join("");
  return `<ol class="bars" aria-label="${esc(`${comp.name}: ${t.uptimeDays} – ${t.today}`)}">${items}</ol><div class="axis"><span>${esc(t.uptimeDays)}</span><span>${comp.uptime90 === null ? "" : esc(fill(t.uptime90, { pct: comp.uptime90.toFixed(2) }))}</span><span>${esc(t.today)}</span></div>`;
}

function chart(c: Ctx, comp: ComponentSnapshot): string {
  const pts = comp.responseTimes;
  if (!pts || pts.length < 2) return "";
  const max = Math.max(...pts.map((p) => p.ms), 1);
  const first = Date.parse(pts[0]!.t);
  const span = Math.max(Date.parse(pts.at(-1)!.t) - first, 1);
  const line = pts.map((p) => `${(((Date.parse(p.t) - first) / span) * 300).toFixed(1)},${(58 - (p.ms / max) * 54).toFixed(1)}`).join(" ");
  const avg = Math.round(pts.reduce((a, p) => a + p.ms, 0) / pts.length);
  const label = `${c.t.responseTime}: ${pts.length} h, max ${max} ms, ⌀ ${avg} ms`;
  return `<figure class="chart"><svg viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title><polyline fill="none" stroke="currentColor" stroke-width="2" vector-effect="non-scaling-stroke" points="${line}"/></svg><figcaption>${esc(label)}</figcaption></figure>`;
}

function component(c: Ctx, comp: ComponentSnapshot): string {
  return `<li class="comp"><div class="row"><h3>${esc(comp.name)}</h3><span class="st s-${comp.status}">${esc(c.t.componentStatus[comp.status])}</span></div>${comp.description ? `<p class="desc">${esc(comp.description)}</p>` : ""}${bars(c, comp)}${chart(c, comp)}</li>`;
}

function componentGroups(c: Ctx): string {
  const { s, t } = c;
  if (s.components.length === 0) return "";
  const groups: { name: string; items: ComponentSnapshot[] }[] = [];
  const loose = s.components.filter((x) => !x.sectionId || !s.sections.some((sec) => sec.id === x.sectionId));
  if (loose.length) groups.push({ name: s.sections.length ? t.otherComponents : t.components, items: loose });
  for (const sec of s.sections) {
    const items = s.components.filter((x) => x.sectionId === sec.id);
    if (items.length) groups.push({ name: sec.name, items });
  }
  return groups
    .map((g, i) => `<section class="group" aria-labelledby="g${i}"><h2 id="g${i}">${esc(g.name)}</h2><ul class="comps">${g.items.map((x) => component(c, x)).join("")}</ul></section>`)
    .join("");
}

function updateItem(c: Ctx, u: IncidentSnapshot["updates"][number]): string {
  return `<li><p class="meta"><strong>${esc(c.t.incidentStatus[u.status])}</strong> · ${time(u.createdAt, c.lang, c.tz)}</p><div class="md">${u.html}</div></li>`;
}

function incidentCard(c: Ctx, i: IncidentSnapshot, full: boolean, level = "h3"): string {
  const { t, o } = c;
  const updates = full ? i.updates : i.updates.slice(0, 1);
  const affected = i.components.length ? `<p class="meta">${esc(t.affected)}: ${i.components.map((x) => esc(x.name)).join(", ")}</p>` : "";
  return `<article class="incident imp-${i.impact}"><${level}><a href="${esc(o.base)}/incidents/${esc(i.id)}">${esc(i.title)}</a></${level}><p class="meta">${esc(t.impact[i.impact])} · ${esc(t.incidentStatus[i.status])}${i.resolvedAt ? ` · ${time(i.resolvedAt, c.lang, c.tz)}` : ""}</p>${affected}<ol class="timeline">${updates.map((u) => updateItem(c, u)).join("")}</ol></article>`;
}

function maintenanceCard(c: Ctx, m: MaintenanceSnapshot): string {
  const { t } = c;
  return `<article class="maint"><h3>${esc(m.title)}</h3><p class="meta"><strong>${esc(t.maintenanceStatus[m.status])}</strong> · ${esc(t.from)} ${time(m.startsAt, c.lang, c.tz)} ${esc(t.until)} ${time(m.endsAt, c.lang, c.tz)}</p>${m.components.length ? `<p class="meta">${esc(t.affected)}: ${m.components.map((x) => esc(x.name)).join(", ")}</p>` : ""}${m.html ? `<div class="md">${m.html}</div>` : ""}</article>`;
}

function subscribeForm(c: Ctx): string {
  const { s, t, o } = c;
  const boxes = s.components.length
    ? `<details><summary>${esc(t.chooseComponents)}</summary><fieldset><legend class="vh">${esc(t.chooseComponents)}</legend>${s.components.map((x) => `<label class="check"><input type="checkbox" name="components" value="${esc(x.id)}"> ${esc(x.name)}</label>`).join("")}</fieldset></details>`
    : "";
  return `<section class="subscribe" aria-labelledby="sub"><h2 id="sub">${esc(t.subscribe)}</h2><p>${esc(t.subscribeHint)}</p><form method="post" action="${esc(o.base)}/subscribe"><label for="sub-email">${esc(t.email)}</label><div class="inline"><input id="sub-email" type="email" name="email" required autocomplete="email" maxlength="254"><button type="submit">${esc(t.subscribeButton)}</button></div>${boxes}</form></section>`;
}

/** /status/{slug}: banner, active incidents, maintenance, components with their bars. */
export function renderHome(s: PageSnapshot, o: RenderOpts): string {
  const c = ctxOf(s, o);
  const { t } = c;
  const active = s.incidents.filter((i) => !i.resolvedAt);
  const maint = s.maintenances.filter((m) => m.status !== "completed");
  const body = [
    `<h1 class="vh">${esc(s.page.name)}</h1>`,
    s.page.description ? `<p class="lead">${esc(s.page.description)}</p>` : "",
    `<section class="banner ban-${s.banner}" aria-live="polite"><h2>${esc(t.banner[s.banner])}</h2></section>`,
    staleNote(c),
    active.length ? `<section aria-labelledby="active"><h2 id="active">${esc(t.activeIncidents)}</h2>${active.map((i) => incidentCard(c, i, false)).join("")}</section>` : "",
    maint.length ? `<section aria-labelledby="maint"><h2 id="maint">${esc(t.maintenance)}</h2>${maint.map((m) => maintenanceCard(c, m)).join("")}</section>` : "",
    componentGroups(c),
    `<p class="links"><a href="${esc(o.base)}/history">${esc(t.viewHistory)}</a></p>`,
    subscribeForm(c),
  ].join("");
  return layout(c, `${s.page.name} – ${t.banner[s.banner]}`, body, { feeds: true });
}

/** /status/{slug}/history: incidents of 90 days with their timelines, and past maintenance. */
export function renderHistory(s: PageSnapshot, o: RenderOpts): string {
  const c = ctxOf(s, o);
  const { t } = c;
  const past = s.maintenances.filter((m) => m.status === "completed").reverse();
  const body = [
    `<h1>${esc(t.history)}</h1>`,
    staleNote(c),
    `<section aria-labelledby="past"><h2 id="past">${esc(t.pastIncidents)}</h2>${s.incidents.length ? s.incidents.map((i) => incidentCard(c, i, true)).join("") : `<p>${esc(t.noIncidents)}</p>`}</section>`,
    past.length ? `<section aria-labelledby="pm"><h2 id="pm">${esc(t.pastMaintenance)}</h2>${past.map((m) => maintenanceCard(c, m)).join("")}</section>` : "",
    `<p class="links"><a href="${esc(o.base || "/")}">${esc(t.backToStatus)}</a></p>`,
  ].join("");
  return layout(c, `${s.page.name} – ${t.history}`, body, { feeds: true });
}

/** /status/{slug}/incidents/{id}; null when the snapshot does not hold it. */
export function renderIncident(s: PageSnapshot, o: RenderOpts, id: string): string | null {
  const inc = s.incidents.find((i) => i.id === id);
  if (!inc) return null;
  const c = ctxOf(s, o);
  const body = [
    staleNote(c),
    incidentCard(c, inc, true, "h1"),
    `<p class="links"><a href="${esc(o.base || "/")}">${esc(c.t.backToStatus)}</a> · <a href="${esc(o.base)}/history">${esc(c.t.history)}</a></p>`,
  ].join("");
  return layout(c, `${inc.title} – ${s.page.name}`, body, { feeds: true });
}

/** A 404 inside a known page (an incident it does not show). */
export function renderMissing(s: PageSnapshot, o: RenderOpts): string {
  const c = ctxOf(s, o);
  return layout(
    c,
    `${c.t.notFound} – ${s.page.name}`,
    `<h1>${esc(c.t.notFound)}</h1><p>${esc(c.t.incidentNotFound)}</p><p class="links"><a href="${esc(o.base || "/")}">${esc(c.t.backToStatus)}</a></p>`,
  );
}

/**
 * The password form of a private page: its name, colour and logo only — never a component,
 * incident or maintenance (the snapshot's other parts are not read here).
 */
export function renderPasswordForm(s: PageSnapshot, o: RenderOpts, error: "wrong" | "throttled" | null): string {
  const page = { ...s, page: { ...s.page, description: null }, components: [], incidents: [], maintenances: [], sections: [] } satisfies PageSnapshot;
  const c = ctxOf(page, o);
  const { t } = c;
  const msg = error ? `<p class="error" role="alert">${esc(error === "wrong" ? t.wrongPassword : t.tooManyAttempts)}</p>` : "";
  const body = `<h1>${esc(t.privatePage)}</h1><p>${esc(t.enterPassword)}</p>${msg}<form method="post" action="${esc(o.base || "/")}" class="pw"><label for="pw">${esc(t.password)}</label><div class="inline"><input id="pw" type="password" name="password" required autocomplete="current-password" maxlength="200"><button type="submit">${esc(t.signIn)}</button></div></form>`;
  return layout(c, s.page.name, body, { footer: false });
}

/** A bare 404/503 page for requests that match no page (no page data to show). */
export function renderBare(status: 404 | 503): string {
  const title = status === 404 ? "Not found" : "Temporarily unavailable";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}</style></head><body><main><h1>${title}</h1></main></body></html>`;
}
