import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// House habits (STYLE.md, docs/CONTRIBUTING.md): one verb per file under src/server/services,
// named after the verb, and every verb takes one object ({ ctx, input }, { userId, input, meta }…).
// Functions taking a transaction first (`tx: DbOrTx`) are helpers, not verbs.
const SERVICES = path.resolve(import.meta.dirname, "../../src/server/services");

// Shared helpers, not verbs: fetch-or-throw lookups, view mappers, and a few named modules.
const HELPER_FILES = new Set(["probes/redis-access.ts", "api-keys/forget.ts"]);
const isHelperFile = (rel: string) => HELPER_FILES.has(rel) || /(^|\/)(internal|view)\.ts$/.test(rel);
// uptimeForSeq is the unscoped reference the tests and the benchmark compare getUptime against.
const EXTRA_HELPERS = new Set(["monitors/uptime.ts:uptimeForSeq"]);

type Verb = { file: string; name: string; params: readonly ts.ParameterDeclaration[] };

function verbsOf(rel: string): Verb[] {
  const src = ts.createSourceFile(rel, readFileSync(path.join(SERVICES, rel), "utf8"), ts.ScriptTarget.Latest, true);
  const out: Verb[] = [];
  for (const s of src.statements) {
    if (!ts.isFunctionDeclaration(s) || !s.name) continue;
    const mods = ts.getModifiers(s) ?? [];
    if (!mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) || !mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) continue;
    const first = s.parameters[0];
    if (first && ts.isIdentifier(first.name) && first.name.text === "tx") continue;
    if (EXTRA_HELPERS.has(`${rel}:${s.name.text}`)) continue;
    out.push({ file: rel, name: s.name.text, params: s.parameters });
  }
  return out;
}

function serviceFiles(dir = SERVICES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return serviceFiles(full);
    return e.name.endsWith(".ts") ? [path.relative(SERVICES, full).split(path.sep).join("/")] : [];
  });
}

const files = serviceFiles().filter((f) => !isHelperFile(f));

describe("service verbs", () => {
  it("finds the services (the scan can fail)", () => {
    expect(files).toContain("monitors/create.ts");
    expect(verbsOf("monitors/create.ts").map((v) => v.name)).toEqual(["createMonitor"]);
  });

  it("one exported verb per file", () => {
    const several = files.map((f) => ({ f, verbs: verbsOf(f).map((v) => v.name) })).filter((x) => x.verbs.length > 1);
    expect(several).toEqual([]);
  });

  it("every verb takes one object argument (or none)", () => {
    const positional = files
      .flatMap(verbsOf)
      .filter((v) => v.params.length > 1 || (v.params.length === 1 && !ts.isObjectBindingPattern(v.params[0]!.name)))
      .map((v) => `${v.file}: ${v.name}`);
    expect(positional).toEqual([]);
  });
});
