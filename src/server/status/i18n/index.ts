import type { PageLanguage } from "../model";
import { de } from "./de";
import { en, type Strings } from "./en";

/** The page chrome's strings, one module per language of PAGE_LANGUAGES. */
export const STRINGS: Record<PageLanguage, Strings> = { en, de };

/** Fills "{name}" placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
