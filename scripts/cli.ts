/**
 * Operator CLI: `npm run cli -- <command> [flags]`. Prints one JSON object on success;
 * errors go to stderr, one line each; exit 2 for bad flags or input, 1 for anything else.
 */
import { parseArgs } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { EnvError } from "../src/server/env";
import { closeDb, db } from "../src/server/db/client";
import { memberships, organizations, users } from "../src/server/db/schema";
import { closeRedis } from "../src/server/redis";
import { Invalid, NotFound, isDomainError } from "../src/server/errors";
import { createAccount } from "../src/server/services/auth/create-account";
import { createProbe } from "../src/server/services/probes/create-probe";
import { revokeProbe } from "../src/server/services/probes/revoke-probe";
import { createApiKey } from "../src/server/services/api-keys/create";
import { markDomainVerified } from "../src/server/services/status-pages/mark-domain-verified";
import { effectivePlan } from "../src/server/billing/effective";
import { PLANS } from "../src/server/billing/plans";
import { billingCommands, billingUsage } from "./cli-billing";
import { privacyCommands, privacyUsage } from "./cli-privacy";
import { UsageError } from "./cli-usage";

const USAGE = `Usage: npm run cli -- <command> [flags]

Commands:
  user:create --email E --password P --org "Name" [--name N] [--admin]
      Create a user with a new organization (they are its ADMIN). --admin makes a site admin.
  org:limits --org SLUG [--max-monitors N|none] [--min-interval SECONDS|none]
      Show or change the operator's overrides of an organization's monitor count and shortest
      interval (on top of any plan; "none" clears one, back to the plan's figure). Prints the
      overrides, the plan in force and its effective limits.
  probe:create --region R [--name N]
      Register a remote probe; prints its id, secret and Redis URL (its own Redis user, limited to
      its region's queue) once: set them as PROBE_ID / PROBE_SECRET / REDIS_URL on the probe.
  probe:revoke --id ID
      Revoke a probe at once.
  apikey:create --email E --org SLUG --scopes monitors:read,monitors:write [--name N] [--expires 2027-01-31]
      Create an API key for the member E of organization SLUG (an ADMIN); prints {"id","key","scopes"}.
      The key is shown this once. Scopes: monitors:read, monitors:write, events:read, channels:read,
      channels:write, status-pages:read, status-pages:write, account:export.
  status-page:verify-domain --domain D
      Mark the custom domain D of a status page as verified (the operator vouches for it, no DNS
      check): the page is served at https://D/ and the TLS ask endpoint answers 200 for it.
${billingUsage}${privacyUsage}`;

const meta = { ip: "cli", userAgent: "perigee-cli" };

async function userCreate(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, password: { type: "string" }, org: { type: "string" }, name: { type: "string" }, admin: { type: "boolean", default: false } },
    strict: true,
  });
  const { email, password, org, name, admin } = values;
  if (!email || !password || !org) {
    const missing = Object.entries({ email, password, org })
      .filter(([, v]) => !v)
      .map(([k]) => `--${k}`);
    throw new UsageError(`user:create needs ${missing.join(", ")}`);
  }
  return createAccount({ input: { email, password, organizationName: org, name, isAdmin: admin }, meta });
}

async function orgLimits(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { org: { type: "string" }, "max-monitors": { type: "string" }, "min-interval": { type: "string" } }, strict: true });
  if (!values.org) throw new UsageError("org:limits needs --org SLUG");
  // undefined = leave as is; null = clear the override (the plan's figure applies).
  const num = (v: string | undefined, name: string, min: number) => {
    if (v === undefined) return undefined;
    if (v === "none") return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number ≥ ${min}, or none to use the plan's figure`);
    return n;
  };
  const set = { maxMonitors: num(values["max-monitors"], "--max-monitors", 0), minIntervalSeconds: num(values["min-interval"], "--min-interval", 30) };
  const changes = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
  const q = Object.keys(changes).length
    ? db().update(organizations).set(changes).where(eq(organizations.slug, values.org)).returning()
    : db().select().from(organizations).where(eq(organizations.slug, values.org));
  const [org] = await q;
  if (!org) throw new NotFound(`No organization with slug ${values.org}`);
  const plan = effectivePlan(org);
  return {
    organization: { id: org.id, slug: org.slug, name: org.name, maxMonitors: org.maxMonitors, minIntervalSeconds: org.minIntervalSeconds },
    plan: { id: plan.plan, name: PLANS[plan.plan].name, source: plan.source },
    limits: plan.limits,
  };
}

async function probeCreate(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { region: { type: "string" }, name: { type: "string" } }, strict: true });
  if (!values.region) throw new UsageError("probe:create needs --region");
  const p = await createProbe({ region: values.region, name: values.name });
  return { ...p, env: `PROBE_ID=${p.id} PROBE_SECRET=${p.secret} REDIS_URL=${p.redisUrl}` };
}

async function probeRevoke(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { id: { type: "string" } }, strict: true });
  if (!values.id || !/^[0-9a-f-]{36}$/i.test(values.id)) throw new UsageError("probe:revoke needs --id <probe id>");
  await revokeProbe({ id: values.id });
  return { revoked: values.id };
}

async function apiKeyCreate(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: "string" }, org: { type: "string" }, scopes: { type: "string" }, name: { type: "string" }, expires: { type: "string" } },
    strict: true,
  });
  const missing = (["email", "org", "scopes"] as const).filter((k) => !values[k]).map((k) => `--${k}`);
  if (missing.length) throw new UsageError(`apikey:create needs ${missing.join(", ")}`);
  const [row] = await db()
    .select({ user: users, org: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(sql`lower(${users.email}) = lower(${values.email!})`, eq(organizations.slug, values.org!)));
  if (!row) throw new NotFound(`${values.email} is not a member of an organization with slug ${values.org}`);
  const ctx = { actor: { userId: row.user.id, email: row.user.email, isAdmin: row.user.isAdmin }, org: { id: row.org.id, slug: row.org.slug, name: row.org.name, role: row.role }, meta };
  const k = await createApiKey({
    ctx,
    input: {
      name: values.name ?? "CLI key",
      scopes: values
        .scopes!.split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      expiresAt: values.expires,
    },
  });
  return { id: k.id, key: k.key, scopes: k.scopes };
}

async function statusPageVerifyDomain(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { domain: { type: "string" } }, strict: true });
  if (!values.domain || !/^[a-z0-9.-]{1,253}\.?$/i.test(values.domain)) throw new UsageError("status-page:verify-domain needs --domain D (a host name)");
  return markDomainVerified({ domain: values.domain });
}

const commands: Record<string, (argv: string[]) => Promise<unknown>> = {
  "status-page:verify-domain": statusPageVerifyDomain,
  "apikey:create": apiKeyCreate,
  "user:create": userCreate,
  "org:limits": orgLimits,
  "probe:create": probeCreate,
  "probe:revoke": probeRevoke,
  ...billingCommands,
  ...privacyCommands,
};

const FLAG_OF: Record<string, string> = { organizationName: "org", isAdmin: "admin", expiresAt: "expires" };

/** One line per problem; validation problems name the flag they came from. */
function report(e: unknown): { lines: string[]; code: number } {
  if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return { lines: [(e as Error).message], code: 2 };
  if (e instanceof EnvError) return { lines: e.issues.map((i) => `configuration: ${i}`), code: 2 };
  if (isDomainError(e)) {
    const fields = Object.entries(e.fields ?? {}).flatMap(([k, msgs]) => msgs.map((m) => (k === "_form" ? m : `--${FLAG_OF[k.replace(/\.\d+$/, "")] ?? k.replace(/\.\d+$/, "")}: ${m}`)));
    return { lines: fields.length ? fields : [e.message], code: e instanceof Invalid ? 2 : 1 };
  }
  return { lines: [describeFailure(e)], code: 1 };
}

function describeFailure(e: unknown): string {
  // Drizzle wraps driver errors in one whose message repeats the SQL and its parameters
  // (a password hash, for one); only the driver's own error is shown.
  let err = (e as { cause?: unknown }).cause instanceof Error ? (e as { cause: Error }).cause : (e as Error);
  if (err instanceof AggregateError && err.errors[0] instanceof Error) err = err.errors[0];
  const sys = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (sys.syscall && sys.code) {
    const where = sys.address ? ` ${sys.address}${sys.port ? `:${sys.port}` : ""}` : "";
    return `cannot connect to${where} (${sys.code}); is PostgreSQL running and DATABASE_URL right?`;
  }
  const pgCode = (err as { code?: unknown }).code;
  if (typeof pgCode === "string" && /^[0-9A-Z]{5}$/.test(pgCode)) {
    const hint = pgCode === "42P01" ? " (has the database been migrated? npm run db:migrate)" : "";
    return `database error: ${err.message}${hint}`;
  }
  return err?.message || String(e);
}

async function main(): Promise<number> {
  const [cmd, ...rest] = process.argv.slice(2);
  const wantsHelp = (a: string | undefined) => a === "--help" || a === "-h" || a === "help";
  if (!cmd) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (wantsHelp(cmd) || (commands[cmd] && rest.some(wantsHelp))) {
    process.stdout.write(USAGE);
    return 0;
  }
  const run = commands[cmd];
  if (!run) {
    process.stderr.write(`error: unknown command "${cmd}"\n${USAGE}`);
    return 2;
  }
  try {
    const out = await run(rest);
    process.stdout.write(JSON.stringify(out) + "\n");
    return 0;
  } catch (e) {
    const { lines, code } = report(e);
    process.stderr.write(lines.map((l) => `error: ${l}\n`).join(""));
    return code;
  }
}

main().then(async (code) => {
  await Promise.allSettled([closeDb(), closeRedis()]);
  process.exit(code);
});
