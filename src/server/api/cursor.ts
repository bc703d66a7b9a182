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
