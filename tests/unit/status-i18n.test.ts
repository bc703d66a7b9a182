import { describe, expect, it } from "vitest";
import { PAGE_LANGUAGES } from "../../src/server/status/model";
import { fill, STRINGS } from "../../src/server/status/i18n";
import { en } from "../../src/server/status/i18n/en";

/** "banner.operational", … for every leaf string. */
function keys(o: object, prefix = ""): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const at = (o: object, path: string) => path.split(".").reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], o) as string;

describe("status page strings", () => {
  it("has a module for every page language", () => {
    expect(Object.keys(STRINGS).sort()).toEqual([...PAGE_LANGUAGES].sort());
  });

  it.each(PAGE_LANGUAGES.filter((l) => l !== "en"))("%s has every key of en, no more, none empty, same placeholders", (lang) => {
    const other = STRINGS[lang];
    expect(keys(other).sort()).toEqual(keys(en).sort());
    for (const k of keys(en)) {
      expect(at(other, k).trim(), k).not.toBe("");
      expect(placeholders(at(other, k)), k).toEqual(placeholders(at(en, k)));
    }
    expect(other.htmlLang).toBe(lang);
  });

  it("fills placeholders", () => {
    expect(fill(en.lastUpdated, { time: "12:00" })).toBe("Last updated 12:00");
    expect(fill("{a} {b}", { a: 1 })).toBe("1 {b}");
  });
});
