/**
 * Operator CLI: `npm run cli -- <command> [flags]`. Prints one JSON object on success;
 * errors go to stderr, exit 2 for bad input and 1 for anything else.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { EnvError } from "../src/server/env";
import { closeDb, db } from "../src/server/db/client";
import { organizations } from "../src/server/db/schema";
import { closeRedis } from "../src/server/redis";
import { isDomainError } from "../src/server/errors";
import { createAccount } from "../src/server/services/auth/create-account";
import { createProbe, revokeProbe } from "../src/server/services/probes/create-probe";

const USAGE = `Usage: npm run cli -- <command> [flags]

Commands:
  user:create --email E --password P --org "Name" [--name N] [--admin]
      Create a user with a new organization (they are its ADMIN). --admin makes a site admin.
  org:limits --org SLUG [--max-monitors N] [--min-interval SECONDS]
      Show or change an organization's monitor limits.
  probe:create --region R [--name N]
      Register a remote probe; prints its id and secret once (set them as PROBE_ID / PROBE_SECRET).
  probe:revoke --id ID
      Revoke a probe at once.
`;

const meta = { ip: "cli", userAgent: "perigee-cli" };

class UsageError extends Error {}

async function userCreate(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, password: { type: "string" }, org: { type: "string" }, name: { type: "string" }, admin: { type: "boolean", default: false } },
    strict: true,
  });
  const missing = ["email", "password", "org"].filter((k) => !values[k as keyof typeof values]);
  if (missing.length) throw new UsageError(`user:create needs ${missing.map((m) => `--${m}`).join(", ")}`);
  return createAccount({ input: { email: values.email, password: values.password, organizationName: values.org, name: values.name, isAdmin: values.admin }, meta });
}

async function orgLimits(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { org: { type: "string" }, "max-monitors": { type: "string" }, "min-interval": { type: "string" } }, strict: true });
  if (!values.org) throw new UsageError("org:limits needs --org SLUG");
  const num = (v: string | undefined, name: string, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number ≥ ${min}`);
    return n;
  };
  const set = { maxMonitors: num(values["max-monitors"], "--max-monitors", 0), minIntervalSeconds: num(values["min-interval"], "--min-interval", 30) };
  const changes = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
  const q = Object.keys(changes).length
    ? db().update(organizations).set(changes).where(eq(organizations.slug, values.org)).returning()
    : db().select().from(organizations).where(eq(organizations.slug, values.org));
  const [org] = await q;
  if (!org) throw new UsageError(`No organization with slug ${values.org}`);
  return { organization: { id: org.id, slug: org.slug, name: org.name, maxMonitors: org.maxMonitors, minIntervalSeconds: org.minIntervalSeconds } };
}

async function probeCreate(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { region: { type: "string" }, name: { type: "string" } }, strict: true });
  if (!values.region) throw new UsageError("probe:create needs --region");
  const p = await createProbe({ region: values.region, name: values.name });
  return { ...p, env: `PROBE_ID=${p.id} PROBE_SECRET=${p.secret}` };
}

async function probeRevoke(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { id: { type: "string" } }, strict: true });
  if (!values.id || !/^[0-9a-f-]{36}$/i.test(values.id)) throw new UsageError("probe:revoke needs --id <probe id>");
  await revokeProbe({ id: values.id });
  return { revoked: values.id };
}

const commands: Record<string, (argv: string[]) => Promise<unknown>> = {
  "user:create": userCreate,
  "org:limits": orgLimits,
  "probe:create": probeCreate,
  "probe:revoke": probeRevoke,
};

async function main(): Promise<number> {
  const [cmd, ...rest] = process.argv.slice(2);
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const run = commands[cmd];
  if (!run) {
    process.stderr.write(`Unknown command "${cmd}".\n${USAGE}`);
    return 2;
  }
  try {
    const out = await run(rest);
    process.stdout.write(JSON.stringify(out) + "\n");
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`error: ${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof EnvError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    if (isDomainError(e)) {
      const fields = e.fields ? Object.entries(e.fields).map(([k, v]) => `  --${k === "organizationName" ? "org" : k}: ${v.join("; ")}`) : [];
      process.stderr.write(`error: ${e.message}\n${fields.join("\n")}${fields.length ? "\n" : ""}`);
      return e.status === 409 || e.status === 400 ? 2 : 1;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}

main().then(async (code) => {
  await Promise.allSettled([closeDb(), closeRedis()]);
  process.exit(code);
});
