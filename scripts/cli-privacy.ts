/** Privacy commands of the operator CLI (scripts/cli.ts lists them). */
import { parseArgs } from "node:util";
import { eq, sql } from "drizzle-orm";
import { db } from "../src/server/db/client";
import { organizations, users } from "../src/server/db/schema";
import { NotFound } from "../src/server/errors";
import { purgeDeleted } from "../src/server/privacy/purge";
import { eraseAccount, eraseOrganization, restoreDeletion } from "../src/server/services/privacy/internal";
import { UsageError, cliMeta, type CliCommand } from "./cli-usage";

export const privacyUsage = `  org:delete --org SLUG
      Delete an organization: inert at once, restorable for ERASURE_GRACE_DAYS, then purged.
  org:restore --org SLUG
      Undo an organization's deletion within its grace period.
  user:delete --email E
      Delete an account: sign-in refused at once, restorable for ERASURE_GRACE_DAYS, then purged.
  user:restore --email E
      Undo an account's deletion within its grace period.
  privacy:purge [--grace DAYS]
      Purge now what was deleted more than DAYS ago (default ERASURE_GRACE_DAYS; 0 = everything deleted).
`;

function flag(argv: string[], name: "org" | "email", command: string): string {
  const { values } = parseArgs({ args: argv, options: { [name]: { type: "string" } }, strict: true });
  const v = values[name];
  if (typeof v !== "string" || !v) throw new UsageError(`${command} needs --${name} ${name === "org" ? "SLUG" : "E"}`);
  return v;
}

async function orgBySlug(slug: string) {
  const [o] = await db().select().from(organizations).where(eq(organizations.slug, slug));
  if (!o) throw new NotFound(`No organization with slug ${slug}`);
  return o;
}

async function userByEmail(email: string) {
  const [u] = await db()
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  if (!u) throw new NotFound(`No account with email ${email}`);
  return u;
}

export const privacyCommands: Record<string, CliCommand> = {
  "org:delete": async (argv) => {
    const o = await orgBySlug(flag(argv, "org", "org:delete"));
    const r = await eraseOrganization({ organizationId: o.id, byUserId: null, meta: cliMeta });
    return { deleted: { organization: o.slug }, purgeAfter: r.purgeAfter.toISOString() };
  },
  "org:restore": async (argv) => {
    const o = await orgBySlug(flag(argv, "org", "org:restore"));
    const r = await restoreDeletion({ organizationId: o.id, meta: cliMeta });
    return { restored: { organizations: r.organizations.map((x) => x.slug) } };
  },
  "user:delete": async (argv) => {
    const u = await userByEmail(flag(argv, "email", "user:delete"));
    const r = await eraseAccount({ userId: u.id, meta: cliMeta, input: null });
    return { deleted: { user: u.email, organizations: r.organizations.map((o) => o.slug) }, purgeAfter: r.purgeAfter.toISOString() };
  },
  "user:restore": async (argv) => {
    const u = await userByEmail(flag(argv, "email", "user:restore"));
    const r = await restoreDeletion({ userId: u.id, meta: cliMeta });
    return { restored: { user: r.user?.email ?? null, organizations: r.organizations.map((o) => o.slug) } };
  },
  "privacy:purge": async (argv) => {
    const { values } = parseArgs({ args: argv, options: { grace: { type: "string" } }, strict: true });
    let graceDays: number | undefined;
    if (values.grace !== undefined) {
      graceDays = Number(values.grace);
      if (!Number.isInteger(graceDays) || graceDays < 0) throw new UsageError("--grace must be a whole number of days ≥ 0");
    }
    return { purged: await purgeDeleted({ graceDays }) };
  },
};
