import type { z } from "zod";
import { Invalid, fieldErrorsFrom, type FieldErrors } from "../errors";

/**
 * Parses service input, turning a zod failure into a field-level `Invalid`. Control
 * characters are refused first, except in machine-made input that quotes third parties
 * (a probe's check results carry the target's own error text).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, opts: { controlChars?: "refuse" | "keep" } = {}): z.output<S> {
  if (opts.controlChars !== "keep") refuseControlChars(input);
  const r = schema.safeParse(input);
  if (!r.success) {
    const fields = fieldErrorsFrom(r.error.issues);
    const first = Object.values(fields)[0]?.[0] ?? "Invalid input";
    throw new Invalid(first, fields);
  }
  return r.data;
}

/** Fields whose text may span lines (request bodies, expected answers, descriptions, passwords). */
const MULTI_LINE = new Set(["body", "expected", "jsonExpected", "description", "message", "password", "currentPassword", "newPassword"]);
// C0 controls and DEL; tab, line feed and carriage return are allowed in multi-line fields only.
/* eslint-disable no-control-regex -- finding control characters is the point */
const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
const NON_TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

/**
 * Control characters are refused at every boundary (REST bodies, dashboard forms, service
 * input): Postgres cannot store NUL at all, and the others are never meant in a name, URL or
 * token. Walks objects and arrays; each offending field is reported by its path.
 */
export function controlCharErrors(input: unknown): FieldErrors | null {
  const out: FieldErrors = {};
  const walk = (v: unknown, path: string[]): void => {
    if (typeof v === "string") {
      const multiLine = path.some((p) => MULTI_LINE.has(p));
      if ((multiLine ? NON_TEXT_CONTROL : ANY_CONTROL).test(v)) {
        (out[path.join(".") || "_form"] ??= []).push(
          multiLine ? "Remove control characters (only tabs and line breaks are allowed here)" : "Remove control characters (line breaks, tabs, NUL…): this field is one line of text",
        );
      }
      return;
    }
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, [...path, String(i)]));
    if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (ANY_CONTROL.test(k)) (out[path.join(".") || "_form"] ??= []).push("A field name contains control characters");
        else walk(x, [...path, k]);
      }
    }
  };
  walk(input, []);
  return Object.keys(out).length ? out : null;
}

export function refuseControlChars(input: unknown): void {
  const fields = controlCharErrors(input);
  if (fields) throw new Invalid(`${Object.keys(fields)[0]}: ${Object.values(fields)[0]![0]}`, fields);
}
