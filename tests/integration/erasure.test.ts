import { spawnSync } from "node:child_process";
import path from "node:path";
import { eq } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../../src/server/db/client";
import { auditLog, monitorEvents, notificationDeliveries, organizations, users } from "../../src/server/db/schema";
import { Conflict, Invalid, NotFound, Unauthorized } from "../../src/server/errors";
import { createSession, validateSession } from "../../src/server/auth/session";
import { hashToken } from "../../src/server/lib/crypto";
import { reconcileSchedules } from "../../src/server/monitors/reconcile";
import { checkQueue, schedulerId } from "../../src/server/monitors/schedule";
import { deliver } from "../../src/server/notifications/deliver";
import { pageBySlug } from "../../src/server/status/cache";
import { authenticateApiKey } from "../../src/server/services/api-keys/authenticate";
import { signIn } from "../../src/server/services/auth/sign-in";
import { confirmTwoFactor } from "../../src/server/services/auth/confirm-two-factor";
import { startTwoFactorEnrollment } from "../../src/server/services/auth/start-two-factor-enrollment";
import { receivePing } from "../../src/server/services/heartbeats/receive-ping";
import { createMonitor } from "../../src/server/services/monitors/create";
import { createChannel } from "../../src/server/services/channels/create";
import { subscribeToStatusPage } from "../../src/server/services/status-subscribers/subscribe";
import { deleteAccount } from "../../src/server/services/privacy/delete-account";
import { deleteOrganization } from "../../src/server/services/privacy/delete-organization";
import { restoreFromLink } from "../../src/server/services/privacy/restore-from-link";
import { TEST_PASSWORD, addMember, createOrg, createUser, meta } from "../helpers/factories";
import { apiTenant } from "../helpers/api";
import { insertPage } from "../helpers/status-factory";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";
import { TEST_SECRETS } from "../helpers/test-secrets";

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp();
  // Before the first env() call in this file: env() caches what it reads.
  process.env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

const ROOT = path.resolve(import.meta.dirname, "../..");
function cli(args: string[]) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_SECRETS, NODE_ENV: "test", DATABASE_URL: inject("databaseUrl"), REDIS_PREFIX: inject("redisPrefix") },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout.trim().split("\n")).toHaveLength(1);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const restoreToken = async (email: string, after = 0) => {
  const mail = await smtp.waitFor((m) => toOf(m).includes(email) && smtp.messages.indexOf(m) >= after);
  return /\/restore\/([A-Za-z0-9_-]+)/.exec(mail.text!)![1]!;
};
const pingToken = (url: string) => url.split("/").pop()!;
const ip = () => `198.51.100.${Math.floor(Math.random() * 250)}`;
const scheduled = async (monitorId: string) => Boolean(await checkQueue("default").getJobScheduler(schedulerId(monitorId)));

/** An organization with one of everything deletion must stop. */
async function busyTenant() {
  const t = await apiTenant("Erasure");
  const http = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "Site", type: "http", url: "https://example.com/", intervalSeconds: 60 } });
  const hb = await createMonitor({ ctx: t.ctx.ADMIN, input: { name: "Nightly", type: "heartbeat", intervalSeconds: 3600 } });
  const page = await insertPage(t.org.id, { published: true });
  const key = await t.key(["monitors:read"]);
  const ch = await createChannel({ ctx: t.ctx.ADMIN, input: { name: "Mail", type: "email", to: "ops@example.test" } });
  return { ...t, http, hb, page, apiKey: key.key, channelId: ch.id };
}

describe("deleting an organization", { timeout: 60_000 }, () => {
  it("is inert at once — sessions lose it, API keys 401, checks stop, heartbeats and pages 404, pending deliveries dropped — and the mailed link restores it all", async () => {
    const t = await busyTenant();
    const session = await createSession(db(), t.viewer.id, t.org.id, meta);
    expect(await scheduled(t.http.id)).toBe(true);
    expect((await pageBySlug(t.page.slug))?.entry.snapshot.page.id).toBe(t.page.id);
    await authenticateApiKey({ key: t.apiKey, meta });
    const [ev] = await db().insert(monitorEvents).values({ organizationId: t.org.id, monitorId: t.http.id, kind: "down", processedAt: new Date() }).returning();
    const [pending] = await db().insert(notificationDeliveries).values({ organizationId: t.org.id, eventId: ev!.id, channelId: t.channelId }).returning();

    await expect(deleteOrganization({ ctx: t.ctx.EDITOR, input: { confirm: t.org.slug, password: TEST_PASSWORD } })).rejects.toThrow(/ADMIN/);
    await expect(deleteOrganization({ ctx: t.ctx.ADMIN, input: { confirm: "nope", password: TEST_PASSWORD } })).rejects.toBeInstanceOf(Invalid);
    await expect(deleteOrganization({ ctx: t.ctx.ADMIN, input: { confirm: t.org.slug, password: "wrong password" } })).rejects.toBeInstanceOf(Unauthorized);
    const before = smtp.messages.length;
    const r = await deleteOrganization({ ctx: t.ctx.ADMIN, input: { confirm: t.org.slug, password: TEST_PASSWORD } });
    expect(r.purgeAfter.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    const s = await validateSession(session.token);
    expect(s!.orgs.map((o) => o.id)).not.toContain(t.org.id);
    await expect(authenticateApiKey({ key: t.apiKey, meta })).rejects.toThrow(/deleted/);
    expect(await scheduled(t.http.id)).toBe(false);
    await reconcileSchedules();
    expect(await scheduled(t.http.id)).toBe(false);
    await expect(receivePing({ token: pingToken(t.hb.heartbeatUrl!), meta: { ...meta, ip: ip() } })).rejects.toBeInstanceOf(NotFound);
    expect(await pageBySlug(t.page.slug)).toBeNull();
    await expect(subscribeToStatusPage({ pageSlug: t.page.slug, input: { email: "reader@example.test" }, meta: { ...meta, ip: ip() } })).rejects.toBeInstanceOf(NotFound);
    const [dropped] = await db().select().from(notificationDeliveries).where(eq(notificationDeliveries.id, pending!.id));
    expect(dropped!.status).toBe("skipped");
    // The sender refuses even a row that was not pending when the deletion ran.
    await db().update(notificationDeliveries).set({ status: "pending" }).where(eq(notificationDeliveries.id, pending!.id));
    expect((await deliver(pending!.id)).status).toBe("not_claimed");
    const [row] = await db().select().from(organizations).where(eq(organizations.id, t.org.id));
    expect(row!.restoreTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await db().select().from(auditLog).where(eq(auditLog.organizationId, t.org.id))).map((a) => a.action)).toContain("organization.deleted");

    const token = await restoreToken(t.admin.email, before);
    expect(row!.restoreTokenHash).toBe(hashToken(token));
    const restored = await restoreFromLink({ input: { token }, meta });
    expect(restored.organizations.map((o) => o.id)).toEqual([t.org.id]);
    expect((await validateSession(session.token))!.orgs.map((o) => o.id)).toContain(t.org.id);
    await authenticateApiKey({ key: t.apiKey, meta });
    expect(await scheduled(t.http.id)).toBe(true);
    expect((await receivePing({ token: pingToken(t.hb.heartbeatUrl!), meta: { ...meta, ip: ip() } })).monitor).toBe("Nightly");
    expect((await pageBySlug(t.page.slug))?.entry.snapshot.page.id).toBe(t.page.id);
    // The link works once.
    await expect(restoreFromLink({ input: { token }, meta })).rejects.toBeInstanceOf(NotFound);
  });

  it("a link past its grace period restores nothing", async () => {
    const t = await busyTenant();
    const before = smtp.messages.length;
    await deleteOrganization({ ctx: t.ctx.ADMIN, input: { confirm: t.org.slug, password: TEST_PASSWORD } });
    const token = await restoreToken(t.admin.email, before);
    await db()
      .update(organizations)
      .set({ purgeAfter: new Date(Date.now() - 1000) })
      .where(eq(organizations.id, t.org.id));
    await expect(restoreFromLink({ input: { token }, meta })).rejects.toThrow(/grace period ended/);
    await expect(restoreFromLink({ input: { token: "x".repeat(43) }, meta })).rejects.toBeInstanceOf(NotFound);
  });

  it("the operator CLI deletes and restores by slug", async () => {
    const t = await busyTenant();
    const del = cli(["org:delete", "--org", t.org.slug]);
    expect(del).toMatchObject({ deleted: { organization: t.org.slug } });
    expect(await scheduled(t.http.id)).toBe(false);
    expect(cli(["org:restore", "--org", t.org.slug])).toEqual({ restored: { organizations: [t.org.slug] } });
    const [row] = await db().select().from(organizations).where(eq(organizations.id, t.org.id));
    expect(row!.deletedAt).toBeNull();
    expect(await scheduled(t.http.id)).toBe(true);
  });
});

describe("deleting an account", { timeout: 60_000 }, () => {
  it("needs the password; signs out at once, refuses sign-in pointing to the link, takes the sole organization along, and the link restores both", async () => {
    const u = await createUser({ name: "Del Ete" });
    const org = await createOrg("Solo");
    await addMember(org.id, u.id, "ADMIN");
    const s = await createSession(db(), u.id, org.id, meta);
    await expect(deleteAccount({ userId: u.id, input: { password: "wrong password" }, meta })).rejects.toBeInstanceOf(Unauthorized);
    await expect(deleteAccount({ userId: u.id, input: {}, meta })).rejects.toBeInstanceOf(Invalid);
    const before = smtp.messages.length;
    const r = await deleteAccount({ userId: u.id, input: { password: TEST_PASSWORD }, meta });
    expect(r.organizations.map((o) => o.id)).toEqual([org.id]);

    expect(await validateSession(s.token)).toBeNull();
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } })).rejects.toThrow(/restore it until .* with the link in the email/);
    // A wrong password still gets the usual answer: deletion is not revealed to a stranger.
    await expect(signIn({ input: { email: u.email, password: "wrong password" }, meta: { ...meta, ip: ip() } })).rejects.toThrow(/incorrect/);
    const [o] = await db().select().from(organizations).where(eq(organizations.id, org.id));
    expect(o!.deletedAt).not.toBeNull();
    expect((await db().select().from(auditLog).where(eq(auditLog.actorUserId, u.id))).map((a) => a.action)).toContain("account.deleted");

    const token = await restoreToken(u.email, before);
    const restored = await restoreFromLink({ input: { token }, meta });
    expect(restored.user?.id).toBe(u.id);
    expect(restored.organizations.map((x) => x.id)).toEqual([org.id]);
    const again = await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } });
    expect(again.status).toBe("signed_in");
  });

  it("the last ADMIN of an organization with other members must hand it over first", async () => {
    const t = await apiTenant("Handover");
    const err = await deleteAccount({ userId: t.admin.id, input: { password: TEST_PASSWORD }, meta }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Error).message).toContain(t.org.slug);
    const [u] = await db().select().from(users).where(eq(users.id, t.admin.id));
    expect(u!.deletedAt).toBeNull();
    // A non-admin member leaves the organization alive.
    await deleteAccount({ userId: t.viewer.id, input: { password: TEST_PASSWORD }, meta });
    const [o] = await db().select().from(organizations).where(eq(organizations.id, t.org.id));
    expect(o!.deletedAt).toBeNull();
  });

  it("with 2FA on, a current code is needed instead of the password", async () => {
    const u = await createUser();
    const { secret } = await startTwoFactorEnrollment({ userId: u.id });
    const stepNow = Math.floor(Date.now() / 30_000);
    await confirmTwoFactor({ userId: u.id, input: { code: await generate({ secret, epoch: (stepNow - 1) * 30 }) }, meta });
    await expect(deleteAccount({ userId: u.id, input: { password: TEST_PASSWORD }, meta })).rejects.toBeInstanceOf(Invalid);
    await expect(deleteAccount({ userId: u.id, input: { code: "000000" }, meta })).rejects.toBeInstanceOf(Invalid);
    await deleteAccount({ userId: u.id, input: { code: await generate({ secret, epoch: stepNow * 30 }) }, meta });
    const [row] = await db().select().from(users).where(eq(users.id, u.id));
    expect(row!.deletedAt).not.toBeNull();
  });

  it("the operator CLI deletes and restores by email", async () => {
    const u = await createUser();
    expect(cli(["user:delete", "--email", u.email])).toMatchObject({ deleted: { user: u.email, organizations: [] } });
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } })).rejects.toThrow(/deleted/);
    expect(cli(["user:restore", "--email", u.email])).toEqual({ restored: { user: u.email, organizations: [] } });
    expect((await signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } })).status).toBe("signed_in");
  });

  it("privacy:purge keeps what is within its grace and, with --grace 0, purges it now", async () => {
    const u = await createUser();
    cli(["user:delete", "--email", u.email]);
    cli(["privacy:purge", "--grace", "1"]);
    expect(await db().select().from(users).where(eq(users.id, u.id))).toHaveLength(1);
    const out = cli(["privacy:purge", "--grace", "0"]) as { purged: { organizations: number; users: number } };
    expect(out.purged.users).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(users).where(eq(users.id, u.id))).toHaveLength(0);
    await expect(signIn({ input: { email: u.email, password: TEST_PASSWORD }, meta: { ...meta, ip: ip() } })).rejects.toThrow(/incorrect/);
  });
});
