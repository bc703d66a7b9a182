/** Small helpers of the public pages' HTML: escaping, times in the page's zone, the accent's text colour. */
import { escapeHtml } from "../markdown";

export const esc = escapeHtml;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: string, timeZone: string): Intl.DateTimeFormat {
  const k = `${lang}|${timeZone}`;
  let f = formatters.get(k);
  if (!f) {
    // dateStyle cannot be combined with timeZoneName: the fields are spelled out.
    const opts: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
    try {
      f = new Intl.DateTimeFormat(lang, { ...opts, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(lang, { ...opts, timeZone: "UTC" });
    }
    // Keep the cache bounded: a few zones and languages are in use at a time.
    if (formatters.size > 500) formatters.clear();
    formatters.set(k, f);
  }
  return f;
}

/** An ISO time as the page's readers see it, in a <time> element. */
export function time(iso: string, lang: string, timeZone: string): string {
  return `<time datetime="${esc(iso)}">${esc(formatter(lang, timeZone).format(new Date(iso)))}</time>`;
}

export function plainTime(iso: string, lang: string, timeZone: string): string {
  return formatter(lang, timeZone).format(new Date(iso));
}

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
}

/** The brand colour if valid, else the default blue; and black or white, whichever reads better on it. */
export function accent(brand: string): { bg: string; fg: string } {
  const bg = /^#[0-9a-fA-F]{6}$/.test(brand) ? brand.toLowerCase() : "#2563eb";
  const l = luminance(bg);
  // Contrast ratio against white (1.0) and black (0.0): pick the higher.
  return { bg, fg: 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#000000" };
}

/** Logo URLs shown as <img src>: https or an inline image only. */
export function safeImage(url: string | null): string | null {
  if (!url) return null;
  return /^https:\/\/[^\s"'<>]+$/i.test(url) || /^data:image\/(png|gif|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(url) ? url : null;
}
