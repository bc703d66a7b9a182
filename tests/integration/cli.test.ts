import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { organizations, users } from "../../src/server/db/schema";
import { signIn } from "../../src/server/services/auth/sign-in";
import { meta, uniqueEmail } from "../helpers/factories";
import { TEST_SECRETS } from "../helpers/test-secrets";

const ROOT = path.resolve(import.meta.dirname, "../..");
function cli(...args: string[]) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_SECRETS, NODE_ENV: "test", DATABASE_URL: inject("databaseUrl"), REDIS_PREFIX: inject("redisPrefix") },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("operator CLI", { timeout: 60_000 }, () => {
  it("user:create prints exactly one JSON object and the user can sign in", async () => {
    const email = uniqueEmail("cli");
    const r = cli("user:create", "--email", email, "--password", "a long cli password", "--org", "CLI Made", "--admin");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["organization", "user"]);
    expect(Object.keys(out.user).sort()).toEqual(["email", "id"]);
    expect(Object.keys(out.organization).sort()).toEqual(["id", "name", "slug"]);
    expect(out.user.email).toBe(email);
    expect(out.organization.name).toBe("CLI Made");
    const [u] = await db().select().from(users).where(eq(users.id, out.user.id));
    expect(u!.isAdmin).toBe(true);
    expect((await signIn({ input: { email, password: "a long cli password" }, meta: { ...meta, ip: "cli-test" } })).status).toBe("signed_in");
  });

  it("bad input: field messages on stderr, nothing on stdout, exit 2", () => {
    const r = cli("user:create", "--email", "nope", "--password", "short", "--org", "Valid Org");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/--email: Enter a valid email address/);
    expect(r.stderr).toMatch(/--password: Password must be at least 10 characters/);
    const missing = cli("user:create", "--email", "a@b.co");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --password, --org/);
  });

  it("a duplicate email fails without creating an organization", async () => {
    const email = uniqueEmail("dup");
    expect(cli("user:create", "--email", email, "--password", "a long cli password", "--org", "First Org").code).toBe(0);
    const r = cli("user:create", "--email", email, "--password", "a long cli password", "--org", "Orphan Check Org");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already exists/);
    expect(await db().select().from(organizations).where(eq(organizations.name, "Orphan Check Org"))).toHaveLength(0);
  });

  it("org:limits shows and changes monitor limits", () => {
    const email = uniqueEmail("lim");
    const made = JSON.parse(cli("user:create", "--email", email, "--password", "a long cli password", "--org", "Limits Org").stdout);
    const r = cli("org:limits", "--org", made.organization.slug, "--max-monitors", "500", "--min-interval", "60");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).organization).toMatchObject({ maxMonitors: 500, minIntervalSeconds: 60 });
    expect(cli("org:limits", "--org", made.organization.slug, "--min-interval", "5").code).toBe(2);
  });
});
