import { readFileSync } from "node:fs";
import path from "node:path";
import { is } from "drizzle-orm";
import { PgTable, getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/server/db/schema";

// docs/privacy.md promises to account for every column Perigee stores; this keeps it honest.
const DOC = readFileSync(path.resolve(import.meta.dirname, "../../docs/privacy.md"), "utf8");
// Created in SQL (partitioned), so not in the Drizzle schema: db/migrations/0004_compact_results.sql.
const SQL_ONLY: Record<string, string[]> = {
  check_results: ["scheduled_at", "monitor_seq", "total_ms", "ttfb_ms", "dns_ms", "connect_ms", "tls_ms", "status_code", "region_id", "result", "lateness"],
};
const CATEGORIES = ["personal", "secret", "operational"] as const;

function schemaColumns(): Map<string, string[]> {
  const out = new Map<string, string[]>(Object.entries(SQL_ONLY));
  for (const v of Object.values(schema)) {
    if (!is(v, PgTable)) continue;
    const c = getTableConfig(v);
    out.set(
      c.name,
      c.columns.map((col) => col.name),
    );
  }
  return out;
}

/** The inventory: `| \`table\` | personal cols | secret cols | operational cols |` rows after "## Inventory". */
function documented(): Map<string, Record<(typeof CATEGORIES)[number], string[]>> {
  const section = DOC.split(/^## Inventory$/m)[1];
  if (!section) throw new Error('docs/privacy.md has no "## Inventory" section');
  const out = new Map<string, Record<(typeof CATEGORIES)[number], string[]>>();
  for (const line of section.split("\n")) {
    const m = /^\| `([a-z0-9_]+)` \|(.*)\|(.*)\|(.*)\|\s*$/.exec(line);
    if (!m) continue;
    if (out.has(m[1]!)) throw new Error(`${m[1]} is listed twice`);
    const cols = (cell: string) => (cell.trim() === "—" ? [] : cell.split(",").map((s) => s.trim()));
    out.set(m[1]!, { personal: cols(m[2]!), secret: cols(m[3]!), operational: cols(m[4]!) });
  }
  return out;
}

describe("docs/privacy.md inventory", () => {
  const tables = schemaColumns();
  const doc = documented();

  it("finds the schema and the inventory (the scan can fail)", () => {
    expect(tables.get("users")).toContain("email");
    expect(doc.get("users")?.personal).toContain("email");
  });

  it("lists every table of the schema, and no table that does not exist", () => {
    expect([...doc.keys()].sort()).toEqual([...tables.keys()].sort());
  });

  it("puts every column of every table in exactly one category, and names no column that does not exist", () => {
    const problems: string[] = [];
    for (const [table, columns] of tables) {
      const d = doc.get(table);
      if (!d) continue;
      const listed = CATEGORIES.flatMap((c) => d[c].map((col) => ({ col, c })));
      for (const col of columns) {
        const where = listed.filter((l) => l.col === col).map((l) => l.c);
        if (where.length !== 1) problems.push(`${table}.${col}: ${where.length ? `in ${where.join(" and ")}` : "not in docs/privacy.md"}`);
      }
      for (const l of listed) if (!columns.includes(l.col)) problems.push(`${table}.${l.col}: documented but not in the schema`);
    }
    expect(problems).toEqual([]);
  });

  it("calls the obvious personal data personal and the credentials secret", () => {
    expect(doc.get("users")?.personal).toEqual(expect.arrayContaining(["email", "name"]));
    expect(doc.get("sessions")?.personal).toEqual(expect.arrayContaining(["ip", "user_agent"]));
    expect(doc.get("audit_log")?.personal).toEqual(expect.arrayContaining(["ip", "user_agent", "actor_user_id"]));
    expect(doc.get("status_subscribers")?.personal).toContain("email");
    expect(doc.get("users")?.secret).toEqual(expect.arrayContaining(["password_hash", "totp_secret_enc"]));
    expect(doc.get("notification_channels")?.secret).toContain("secrets_enc");
  });
});
