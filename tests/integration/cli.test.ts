import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { and, eq } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, memberships, organizations, users } from "../../src/server/db/schema";
import { signIn } from "../../src/server/services/auth/sign-in";
import { meta, uniqueEmail } from "../helpers/factories";
import { createTestDatabase, dropTestDatabase } from "../helpers/test-db";
import { TEST_SECRETS } from "../helpers/test-secrets";

const ROOT = path.resolve(import.meta.dirname, "../..");
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_SECRETS, NODE_ENV: "test", DATABASE_URL: inject("databaseUrl"), REDIS_PREFIX: inject("redisPrefix"), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const PW = "a long cli password";
const stderrLines = (s: string) => s.split("\n").filter(Boolean);

describe("operator CLI", { timeout: 60_000 }, () => {
  it("user:create prints exactly one JSON object, and the site admin can sign in", async () => {
    const email = uniqueEmail("cli");
    const r = cli(["user:create", "--email", email, "--password", PW, "--org", "CLI Made", "--admin"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(["organization", "user"]);
    expect(Object.keys(out.user).sort()).toEqual(["email", "id"]);
    expect(Object.keys(out.organization).sort()).toEqual(["id", "name", "slug"]);
    expect(out.user.email).toBe(email);
    expect(out.organization.name).toBe("CLI Made");
    expect(out.organization.slug).toMatch(/^cli-made-/);
    const [u] = await db().select().from(users).where(eq(users.id, out.user.id));
    expect(u!.isAdmin).toBe(true);
    // No --name: the email's local part.
    expect(u!.name).toBe(email.split("@")[0]);
    const [m] = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, u!.id), eq(memberships.organizationId, out.organization.id)));
    expect(m!.role).toBe("ADMIN");
    const audits = await db().select().from(auditLog).where(eq(auditLog.actorUserId, u!.id));
    expect(audits.map((a) => a.action)).toContain("account.created_by_cli");
    expect((await signIn({ input: { email, password: PW }, meta: { ...meta, ip: "cli-test" } })).status).toBe("signed_in");
  });

  it("without --admin the user is not a site admin; --name is used", async () => {
    const r = cli(["user:create", "--email", uniqueEmail("plain"), "--password", PW, "--org", "Plain Org", "--name", "Pat Plain"]);
    expect(r.code).toBe(0);
    const [u] = await db()
      .select()
      .from(users)
      .where(eq(users.id, JSON.parse(r.stdout).user.id));
    expect(u!.isAdmin).toBe(false);
    expect(u!.name).toBe("Pat Plain");
  });

  it("bad input: one stderr line per field naming the flag, nothing on stdout, exit 2", () => {
    const r = cli(["user:create", "--email", "nope", "--password", "short", "--org", "Valid Org"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(stderrLines(r.stderr)).toEqual(["error: --email: Enter a valid email address, like you@example.com", "error: --password: Password must be at least 10 characters"]);
    const missing = cli(["user:create", "--email", "a@b.co"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(stderrLines(missing.stderr)).toEqual(["error: user:create needs --password, --org"]);
    const unknownFlag = cli(["user:create", "--email", "a@b.co", "--password", PW, "--org", "X Org", "--bogus"]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/Unknown option '--bogus'/);
    const unknownCmd = cli(["user:nuke"]);
    expect(unknownCmd.code).toBe(2);
    expect(unknownCmd.stdout).toBe("");
    expect(unknownCmd.stderr).toMatch(/unknown command "user:nuke"/);
  });

  it("--help prints usage and exits 0; no command is a usage error", () => {
    for (const args of [["--help"], ["user:create", "--help"]]) {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/user:create --email E --password P --org "Name" \[--name N\] \[--admin\]/);
    }
    const none = cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/^Usage:/);
  });

  it("a duplicate email fails (exit 1) without creating an organization", async () => {
    const email = uniqueEmail("dup");
    expect(cli(["user:create", "--email", email, "--password", PW, "--org", "First Org"]).code).toBe(0);
    const r = cli(["user:create", "--email", email.toUpperCase(), "--password", PW, "--org", "Orphan Check Org"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(stderrLines(r.stderr)).toEqual([`error: --email: An account with ${email} already exists.`]);
    expect(await db().select().from(organizations).where(eq(organizations.name, "Orphan Check Org"))).toHaveLength(0);
  });

  it("an unreachable database is one clear line and exit 1", () => {
    const r = cli(["user:create", "--email", uniqueEmail("down"), "--password", PW, "--org", "Down Org"], { DATABASE_URL: "postgres://postgres@127.0.0.1:1/perigee" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(stderrLines(r.stderr)).toEqual(["error: cannot connect to 127.0.0.1:1 (ECONNREFUSED); is PostgreSQL running and DATABASE_URL right?"]);
  });

  it("a database error shows the cause, never the SQL or its parameters", async () => {
    const empty = await createTestDatabase(inject("databaseUrl"), "cli_unmigrated");
    try {
      const r = cli(["user:create", "--email", uniqueEmail("raw"), "--password", PW, "--org", "Raw Org"], { DATABASE_URL: empty.url });
      expect(r.code).toBe(1);
      expect(stderrLines(r.stderr)).toEqual(['error: database error: relation "users" does not exist (has the database been migrated? npm run db:migrate)']);
      expect(r.stderr).not.toMatch(/\$2[aby]\$|params|insert into/i);
    } finally {
      await dropTestDatabase(inject("databaseUrl"), empty.name);
    }
  });

  it("org:limits shows, changes and clears the overrides, and prints the plan in force", () => {
    const made = JSON.parse(cli(["user:create", "--email", uniqueEmail("lim"), "--password", PW, "--org", "Limits Org"]).stdout);
    const r = cli(["org:limits", "--org", made.organization.slug, "--max-monitors", "500", "--min-interval", "60"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      organization: { maxMonitors: 500, minIntervalSeconds: 60 },
      plan: { id: "self-hosted", name: "Self-hosted", source: "self-hosted" },
      limits: { monitors: 500, minIntervalSeconds: 60, statusPages: null },
    });
    const cleared = JSON.parse(cli(["org:limits", "--org", made.organization.slug, "--max-monitors", "none"]).stdout);
    expect(cleared).toMatchObject({ organization: { maxMonitors: null, minIntervalSeconds: 60 }, limits: { monitors: null, minIntervalSeconds: 60 } });
    const shown = JSON.parse(cli(["org:limits", "--org", made.organization.slug, "--min-interval", "none"]).stdout);
    expect(shown).toMatchObject({ organization: { maxMonitors: null, minIntervalSeconds: null }, limits: { monitors: null, minIntervalSeconds: 30 } });
    const bad = cli(["org:limits", "--org", made.organization.slug, "--min-interval", "5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-interval must be a whole number ≥ 30, or none/);
    const missing = cli(["org:limits", "--org", "no-such-org-slug"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No organization with slug no-such-org-slug/);
  });

  it("works after `cp .env.example .env` and `npm start`: the empty secrets in .env count as unset", () => {
    // A fresh checkout's files, in a directory of their own: the processes below read .env and
    // .perigee/local.env from their working directory, and get nothing else from this test.
    const dir = mkdtempSync(path.join(os.tmpdir(), "perigee-fresh-"));
    try {
      writeFileSync(path.join(dir, ".env"), readFileSync(path.join(ROOT, ".env.example")));
      const bare = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir } as Record<string, string> as NodeJS.ProcessEnv;
      // What `npm start` does first (scripts/start.mjs): read .env, generate the missing secrets.
      const lib = pathToFileURL(path.join(ROOT, "scripts/lib.mjs")).href;
      const start = () => {
        const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const l = await import(${JSON.stringify(lib)}); l.loadEnvFile(".env"); l.ensureLocalSecrets(".perigee/local.env");`], {
          cwd: dir,
          env: bare,
          encoding: "utf8",
        });
        expect(r.status, r.stderr).toBe(0);
        return readFileSync(path.join(dir, ".perigee/local.env"), "utf8");
      };
      const secrets = start();
      expect(secrets).toMatch(/^AUTH_SECRET=\S{32,}$/m);
      expect(secrets).toMatch(/^ENCRYPTION_KEY=\S{44}$/m);
      // A second start keeps them (ENCRYPTION_KEY decrypts stored secrets: a new one loses them).
      expect(start()).toBe(secrets);

      // The services are this test's; everything else comes from the two files.
      const r = spawnSync(
        path.join(ROOT, "node_modules/.bin/tsx"),
        ["--tsconfig", path.join(ROOT, "tsconfig.json"), path.join(ROOT, "scripts/cli.ts"), "user:create", "--email", uniqueEmail("fresh"), "--password", PW, "--org", "Fresh Clone"],
        {
          cwd: dir,
          env: { ...bare, DATABASE_URL: inject("databaseUrl"), REDIS_PREFIX: inject("redisPrefix"), LOG_LEVEL: "silent" } as NodeJS.ProcessEnv,
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).organization.name).toBe("Fresh Clone");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
