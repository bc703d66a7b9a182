import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { apiKeys } from "../../src/server/db/schema";
import { api } from "../helpers/api";
import { createTenant } from "../helpers/factories";
import { TEST_SECRETS } from "../helpers/test-secrets";

const ROOT = path.resolve(import.meta.dirname, "../..");
function cli(args: string[]) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_SECRETS, NODE_ENV: "test", DATABASE_URL: inject("databaseUrl"), REDIS_PREFIX: inject("redisPrefix") },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run cli -- apikey:create", { timeout: 60_000 }, () => {
  it("prints one {id, key, scopes} object; the key works at once and is stored only as a hash", async () => {
    const t = await createTenant("CLI keys");
    const r = cli(["apikey:create", "--email", t.admin.email.toUpperCase(), "--org", t.org.slug, "--scopes", "monitors:read,monitors:write", "--name", "deploy"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { id: string; key: string; scopes: string[] };
    expect(Object.keys(out).sort()).toEqual(["id", "key", "scopes"]);
    expect(out.key).toMatch(/^pk_live_[0-9A-Za-z]{49}$/);
    expect(out.scopes).toEqual(["monitors:read", "monitors:write"]);
    const [row] = await db().select().from(apiKeys).where(eq(apiKeys.id, out.id));
    expect(JSON.stringify(row)).not.toContain(out.key);
    expect(row!.name).toBe("deploy");
    expect((await api("GET", "/api/v1/monitors", { key: out.key })).status).toBe(200);
  });

  it("refuses bad input with exit 2 and a line naming the flag; a non-admin or non-member with exit 1", async () => {
    const t = await createTenant("CLI bad");
    const missing = cli(["apikey:create", "--email", t.admin.email]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: apikey:create needs --org, --scopes\n");
    const badScope = cli(["apikey:create", "--email", t.admin.email, "--org", t.org.slug, "--scopes", "monitors:fly"]);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toMatch(/^error: --scopes: Each scope must be one of monitors:read/);
    const editor = cli(["apikey:create", "--email", t.editor.email, "--org", t.org.slug, "--scopes", "monitors:read"]);
    expect(editor.code).toBe(1);
    expect(editor.stderr).toMatch(/EDITOR.*ADMIN/);
    const stranger = cli(["apikey:create", "--email", "nobody@example.test", "--org", t.org.slug, "--scopes", "monitors:read"]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/not a member/);
  });
});
