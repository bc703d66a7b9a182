import { z } from "zod";
import { decodeCursor } from "./cursor";

/**
 * Query parameter schemas for the REST operations' declarations. Each reads the raw string
 * (absent or empty = not given), refuses a malformed value with a message naming the
 * parameter's format, and documents itself for the OpenAPI document through `meta`.
 */
export function limitParam(def = 50, max = 200) {
  const msg = `Use an integer from 1 to ${max}`;
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return def;
      const n = /^\d{1,6}$/.test(v) ? Number(v) : NaN;
      if (!(n >= 1 && n <= max)) {
        ctx.addIssue({ code: "custom", message: msg });
        return z.NEVER;
      }
      return n;
    })
    .meta({ type: "integer", minimum: 1, maximum: max, description: `Page size (default ${def})` });
}

// Full dates, or date-times with seconds optional and an explicit offset (never the server's zone).
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** An ISO 8601 time such as 2026-11-22T12:00:00Z (or a date, 2026-11-22 = midnight UTC). */
function isoTime(raw: string): Date | null {
  const m = ISO_TIME.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  const t = new Date(raw);
  return Number.isNaN(t.getTime()) ? null : t;
}

export function timeParam(description: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const t = isoTime(v);
      if (!t) {
        ctx.addIssue({ code: "custom", message: "Use an ISO 8601 time such as 2026-11-22T12:00:00Z" });
        return z.NEVER;
      }
      return t;
    })
    .meta({ type: "string", format: "date-time", description });
}

export function cursorParam<T extends Record<string, string | number>>(check: (v: Record<string, unknown>) => v is T) {
  return z
    .string()
    .optional()
    .transform((v) => decodeCursor(v ?? null, check))
    .meta({ type: "string", description: "nextCursor of the previous page" });
}

export function enumParam<const V extends readonly [string, ...string[]]>(values: V, description: string, def?: V[number]) {
  return z
    .string()
    .optional()
    .transform((v, ctx): V[number] | undefined => {
      if (v === undefined || v === "") return def;
      if (!(values as readonly string[]).includes(v)) {
        ctx.addIssue({ code: "custom", message: `Use one of ${values.join(", ")}` });
        return z.NEVER;
      }
      return v;
    })
    .meta({ type: "string", enum: [...values], description: def ? `${description} (default ${def})` : description });
}

export function uuidParam(description: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) {
        ctx.addIssue({ code: "custom", message: "Use an id (UUID)" });
        return z.NEVER;
      }
      return v;
    })
    .meta({ type: "string", format: "uuid", description });
}

/** Keyset cursor of lists sorted by (time, id). */
const isTimeIdCursor = (v: Record<string, unknown>): v is { t: string; id: string } =>
  typeof v.t === "string" && !Number.isNaN(Date.parse(v.t)) && typeof v.id === "string" && /^[0-9a-f-]{36}$/i.test(v.id);

/** The usual list parameters. */
export const pageQuery = (def = 50, max = 200) => ({ limit: limitParam(def, max), cursor: cursorParam(isTimeIdCursor) });
