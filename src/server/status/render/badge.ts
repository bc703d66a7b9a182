/**
 * Shields-style "flat" SVG badges for a page or one of its components: a grey label (the
 * page's or component's name, or the caller's `label`) and a coloured message (the state,
 * optionally with the 30/90-day uptime). Pure. Widths come from a Verdana 11 px advance table,
 * as shields.io measures, so the badge fits its text without a browser.
 */
import type { Banner, ComponentStatus } from "../model";
import type { PageSnapshot } from "../snapshot-types";
import { xmlText } from "./xml";

/** Longest label or component name we draw (longer ones are cut with an ellipsis). */
export const BADGE_LABEL_MAX = 40;

type BadgeState = Banner | ComponentStatus;

const STATE: Record<BadgeState, { text: string; color: string }> = {
  operational: { text: "operational", color: "#4c1" },
  degraded: { text: "degraded", color: "#dfb317" },
  degraded_performance: { text: "degraded", color: "#dfb317" },
  partial_outage: { text: "partial outage", color: "#fe7d37" },
  major_outage: { text: "major outage", color: "#e05d44" },
  maintenance: { text: "maintenance", color: "#007ec6" },
  under_maintenance: { text: "maintenance", color: "#007ec6" },
};

// Verdana 11 px advances of printable ASCII (U+0020…U+007E), in px.
// prettier-ignore
const WIDTHS = [
  3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99,
  7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 4.99, 4.99, 9.0, 9.0, 9.0, 6.0,
  11.0, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66,
  6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 4.99, 4.99, 4.99, 9.0, 7.0,
  7.0, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.66, 6.96, 6.68,
  6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 8.98, 6.51, 6.51, 5.78, 6.98, 4.99, 6.98, 9.0,
];

/** The drawn width of a text in px: the table for ASCII, a middle dot is narrow, wide scripts are wide. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c <= 0x7e) w += WIDTHS[c - 0x20]!;
    else if (c === 0xb7) w += 4.0;
    else if (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60) || c >= 0x1f300)) w += 11.0;
    else w += 7.0;
  }
  return w;
}

/** Cuts a label to BADGE_LABEL_MAX characters (code points), ending in "…". */
export function capLabel(s: string): string {
  const chars = [...s.replace(/\s+/g, " ").trim()];
  return chars.length > BADGE_LABEL_MAX ? `${chars.slice(0, BADGE_LABEL_MAX - 1).join("")}…` : chars.join("");
}

function percent(v: number): string {
  return `${v >= 99.995 && v < 100 ? "99.99" : v.toFixed(2).replace(/\.?0+$/, "")}%`;
}

/** A flat badge with any label, message and colour. */
export function flatBadge(label: string, message: string, color: string): string {
  const pad = 5;
  const lw = Math.round(textWidth(label) + 2 * pad);
  const mw = Math.round(textWidth(message) + 2 * pad);
  const w = lw + mw;
  const l = xmlText(label);
  const m = xmlText(message);
  // Text is drawn at 10x scale (font-size 110, scale(.1)) for crisp hinting, like shields.io.
  const tl = Math.round((lw - 2 * pad) * 10);
  const tm = Math.round((mw - 2 * pad) * 10);
  const lx = Math.round(lw * 5);
  const mx = Math.round((lw + mw / 2) * 10);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}"><title>${l}: ${m}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    `<text aria-hidden="true" x="${lx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${tl}">${l}</text>` +
    `<text x="${lx}" y="140" transform="scale(.1)" fill="#fff" textLength="${tl}">${l}</text>` +
    `<text aria-hidden="true" x="${mx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" textLength="${tm}">${m}</text>` +
    `<text x="${mx}" y="140" transform="scale(.1)" fill="#fff" textLength="${tm}">${m}</text></g></svg>`
  );
}

export type BadgeOptions = {
  /** A component's id, or its name (case-insensitive); absent = the whole page. */
  component?: string;
  uptime?: 30 | 90;
  label?: string;
};

/**
 * The page's (banner) or a component's badge, or null when the component is not on the page.
 * With `uptime`, the message reads e.g. "operational · 99.98%" (the page's uptime is the mean
 * of its components' that had checks).
 */
export function statusBadge(s: PageSnapshot, opts: BadgeOptions): string | null {
  let state: BadgeState = s.banner;
  let name = s.page.name;
  let uptimes: (number | null)[] = s.components.map((c) => (opts.uptime === 90 ? c.uptime90 : c.uptime30));
  if (opts.component !== undefined) {
    const key = opts.component.toLowerCase();
    const c = s.components.find((k) => k.id === opts.component) ?? s.components.find((k) => k.name.toLowerCase() === key);
    if (!c) return null;
    state = c.status;
    name = c.name;
    uptimes = [opts.uptime === 90 ? c.uptime90 : c.uptime30];
  }
  const label = capLabel(opts.label?.trim() ? opts.label : name);
  let message = STATE[state].text;
  if (opts.uptime) {
    const known = uptimes.filter((u): u is number => u !== null);
    message += ` · ${known.length ? percent(known.reduce((a, b) => a + b, 0) / known.length) : "no data"}`;
  }
  return flatBadge(label, message, STATE[state].color);
}
