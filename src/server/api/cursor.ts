import { Invalid } from "../errors";

/** Opaque cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(v: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

export function decodeCursor<T extends Record<string, string | number>>(raw: string | null, check: (v: Record<string, unknown>) => v is T): T | undefined {
  if (raw === null || raw === "") return undefined;
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Record<string, unknown>;
    if (v && typeof v === "object" && check(v)) return v;
  } catch {
    // fall through
  }
  throw new Invalid("cursor is not valid; use the nextCursor of a previous page", { cursor: ["Use the nextCursor value of a previous page"] });
}

export const isTimeIdCursor = (v: Record<string, unknown>): v is { t: string; id: string } =>
  typeof v.t === "string" && !Number.isNaN(Date.parse(v.t)) && typeof v.id === "string" && /^[0-9a-f-]{36}$/i.test(v.id);

export function parseLimit(raw: string | null, def = 50, max = 200): number {
  if (raw === null || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Invalid(`limit must be an integer from 1 to ${max}`, { limit: [`Use an integer from 1 to ${max}`] });
  return n;
}

export function parseTime(raw: string | null, field: string): Date | undefined {
  if (raw === null || raw === "") return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new Invalid(`${field} must be an ISO 8601 time such as 2026-11-22T12:00:00Z`, { [field]: ["Use an ISO 8601 time such as 2026-11-22T12:00:00Z"] });
  return d;
}
