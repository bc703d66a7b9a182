import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The import boundaries live in eslint.config.mjs; these plant a violation in a file of each
// area and expect `npm run lint` to refuse it, and the same line in an allowed place to pass.
const ROOT = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: ROOT });

async function errors(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("lint boundaries", { timeout: 30_000 }, () => {
  it("src/server imports neither src/web, src/app nor Next.js", async () => {
    for (const from of ["@/web/session", "../../web/session", "@/app/(dashboard)/monitors/actions", "../app/layout", "@/components/ui/field", "next/headers", "next"]) {
      const code = `import * as x from "${from}";\nexport const y = x;\n`;
      expect(await errors("src/server/services/monitors/planted.ts", code), from).toEqual([expect.stringMatching(/^no-restricted-imports: .*framework-free/)]);
    }
    expect(await errors("src/web/planted.ts", `import * as x from "@/web/session";\nexport const y = x;\n`)).toEqual([]);
  });

  it("src/components does not import src/app", async () => {
    const code = `import { createMaintenanceAction } from "@/app/(dashboard)/maintenance/actions";\nexport const a = createMaintenanceAction;\n`;
    expect(await errors("src/components/maintenance/planted.tsx", code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*src\/web\/actions/)]);
    const moved = `import { createMaintenanceAction } from "@/web/actions/maintenance";\nexport const a = createMaintenanceAction;\n`;
    expect(await errors("src/components/maintenance/planted.tsx", moved)).toEqual([]);
  });

  it("validation imports no check executor and nothing of the REST layer", async () => {
    const executor = `import { parseResolver } from "../checks/executors/dns";\nexport const p = parseResolver;\n`;
    expect(await errors("src/server/validation/planted.ts", executor)).toEqual([expect.stringMatching(/^no-restricted-imports: .*executor/)]);
    const api = `import * as openapi from "../api/openapi";\nexport const d = openapi;\n`;
    expect(await errors("src/server/validation/planted.ts", api)).toEqual([expect.stringMatching(/^no-restricted-imports: .*REST layer/)]);
  });

  it("process.env is read only in src/server/env.ts", async () => {
    const code = `export const port = process.env.PORT;\nexport const { HOST } = process.env;\n`;
    for (const file of ["src/server/monitors/planted.ts", "src/web/planted.ts", "src/components/planted.tsx", "workers/planted.ts", "scripts/planted.ts"]) {
      const found = await errors(file, code);
      expect(found, file).toHaveLength(2);
      for (const e of found) expect(e, file).toMatch(/^no-restricted-properties: .*src\/server\/env\.ts/);
    }
    expect(await errors("src/server/env.ts", code)).toEqual([]);
    expect(await errors("tests/unit/planted.test.ts", code)).toEqual([]);
  });

  it("only src/server/db imports the database driver", async () => {
    const code = `import pg from "pg";\nexport const p = pg;\n`;
    expect(await errors("src/server/services/planted.ts", code)).toEqual([expect.stringMatching(/^no-restricted-imports: .*Only src\/server\/db may import the driver/)]);
    expect(await errors("src/server/db/planted.ts", code)).toEqual([]);
  });
});
