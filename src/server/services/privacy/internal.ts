import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { db, type DbOrTx } from "../../db/client";
import { apiKeys, memberships, monitors, notificationDeliveries, organizations, statusNoticeDeliveries, users, type User } from "../../db/schema";
import type { RequestMeta } from "../../context";
import { env } from "../../env";
import { Conflict, Invalid, NotFound, Unauthorized } from "../../errors";
import { verifyPassword } from "../../auth/password";
import { revokeUserSessions } from "../../auth/session";
import { hashToken, randomToken } from "../../lib/crypto";
import { log } from "../../log";
import { esc, layout, sendMail } from "../../mail/mailer";
import { syncScheduleSafely } from "../../monitors/schedule";
import { invalidateStatusPages } from "../../status/invalidate";
import { forgetApiKeyHashes } from "../api-keys/forget";
import { recordAudit } from "../audit/record";
import { BAD_CODE, checkSecondFactor } from "../auth/two-factor";

/**
 * Erasure with undo (issue 13). A deletion marks the account or organization at once (inert:
 * no sign-in, no session, API keys refused, no checks, heartbeats and status pages 404,
 * pending notifications dropped) and mails a restore link; privacy/purge.ts deletes every
 * row once `purge_after` has passed. The link's token is stored only as its HMAC.
 */

const DAY_MS = 86_400_000;
const fmtDate = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function deletedAccountMessage(purgeAfter: Date | null): string {
  const until = purgeAfter ? ` until ${fmtDate(purgeAfter)}` : "";
  return `This account was deleted. You can restore it${until} with the link in the email we sent when it was deleted.`;
}

/** The password, or — when 2FA is on — a current code or a recovery code. */
export async function reauthenticate(tx: DbOrTx, user: User, input: { password?: string; code?: string }): Promise<void> {
  if (user.totpEnabledAt) {
    if (!input.code) throw new Invalid("Enter a code from your authenticator app (or a recovery code).", { code: ["Required"] });
    if (!(await checkSecondFactor(tx, user, input.code.trim()))) throw new Invalid(BAD_CODE, { code: [BAD_CODE] });
    return;
  }
  if (!input.password) throw new Invalid("Enter your password to confirm.", { password: ["Required"] });
  if (!(await verifyPassword(input.password, user.passwordHash))) throw new Unauthorized("Password is incorrect.", { password: ["Password is incorrect."] });
}

type Deletion = { at: Date; purgeAfter: Date; token: string; tokenHash: string };

function newDeletion(now = new Date()): Deletion {
  const token = randomToken(32);
  return { at: now, purgeAfter: new Date(now.getTime() + env().ERASURE_GRACE_DAYS * DAY_MS), token, tokenHash: hashToken(token) };
}

/** Marks organizations deleted and drops what they had waiting to be sent. */
async function markOrganizationsDeleted(tx: DbOrTx, orgIds: string[], byUserId: string | null, d: Deletion, meta: RequestMeta): Promise<void> {
  if (!orgIds.length) return;
  await tx
    .update(organizations)
    .set({ deletedAt: d.at, deletedById: byUserId, purgeAfter: d.purgeAfter, restoreTokenHash: d.tokenHash, updatedAt: d.at })
    .where(and(inArray(organizations.id, orgIds), isNull(organizations.deletedAt)));
  const dropped = { status: "skipped" as const, lastError: "organization deleted", lockedUntil: null, updatedAt: d.at };
  await tx
    .update(notificationDeliveries)
    .set(dropped)
    .where(and(inArray(notificationDeliveries.organizationId, orgIds), eq(notificationDeliveries.status, "pending")));
  await tx
    .update(statusNoticeDeliveries)
    .set(dropped)
    .where(and(inArray(statusNoticeDeliveries.organizationId, orgIds), eq(statusNoticeDeliveries.status, "pending")));
  for (const id of orgIds) {
    await recordAudit(tx, {
      organizationId: id,
      actorUserId: byUserId,
      action: "organization.deleted",
      targetType: "organization",
      targetId: id,
      metadata: { purgeAfter: d.purgeAfter.toISOString() },
      meta,
    });
  }
}

/** After the commit: schedulers removed, pages dropped from the caches, cached API keys forgotten. */
async function quiesce(orgIds: string[], userId: string | null): Promise<void> {
  if (orgIds.length) {
    const mons = await db().select().from(monitors).where(inArray(monitors.organizationId, orgIds));
    await Promise.all(mons.map((m) => syncScheduleSafely(m, [], true)));
    await Promise.all(orgIds.map((id) => invalidateStatusPages({ organizationId: id })));
  }
  await forgetKeysOf(orgIds, userId);
}

/** After a restore: schedulers back, pages rebuilt. */
async function revive(orgIds: string[], userId: string | null): Promise<void> {
  if (orgIds.length) {
    const mons = await db().select().from(monitors).where(inArray(monitors.organizationId, orgIds));
    await Promise.all(mons.map((m) => syncScheduleSafely(m)));
    await Promise.all(orgIds.map((id) => invalidateStatusPages({ organizationId: id })));
  }
  await forgetKeysOf(orgIds, userId);
}

/** A resolution (or refusal) cached before the change must not answer after it. */
async function forgetKeysOf(orgIds: string[], userId: string | null): Promise<void> {
  const keys = await db()
    .select({ hash: apiKeys.keyHash })
    .from(apiKeys)
    .where(sql`${orgIds.length ? inArray(apiKeys.organizationId, orgIds) : sql`false`} or ${userId ? eq(apiKeys.createdById, userId) : sql`false`}`);
  await forgetApiKeyHashes(keys.map((k) => k.hash)).catch((err: unknown) => log.warn("could not forget cached API keys", { err }));
}

const restoreUrl = (token: string) => `${env().APP_URL}/restore/${token}`;

async function sendRestoreMail(to: { email: string; name: string }, what: string, d: Deletion): Promise<void> {
  const link = restoreUrl(d.token);
  const until = fmtDate(d.purgeAfter);
  try {
    await sendMail({
      to: to.email,
      subject: `Perigee: ${what} deleted — restorable until ${until}`,
      text: `Hi ${to.name},\n\n${what} was deleted. Nothing is served or checked any more, and on ${until} everything is erased for good.\n\nChanged your mind? Restore it before then:\n${link}\n\nIf you did not ask for this, restore it and change your password.\n`,
      html: layout(
        "Deleted — restorable for a few days",
        `<p>Hi ${esc(to.name)},</p><p>${esc(what)} was deleted. Nothing is served or checked any more, and on <strong>${esc(until)}</strong> everything is erased for good.</p>
<p><a href="${esc(link)}" style="display:inline-block;background:#3b5bdb;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">Restore it</a></p>
<p style="color:#5b6475">If you did not ask for this, restore it and change your password.</p>`,
      ),
    });
  } catch (e) {
    log.error("restore link email failed", { err: (e as Error).message });
  }
}

type OrgRef = { id: string; slug: string; name: string };

/**
 * What deleting the account means for each organization: the ones the user is alone in go
 * with it; the ones where they are the last ADMIN among other members block the deletion.
 */
export async function membershipsOf(tx: DbOrTx, userId: string, lock = false): Promise<{ sole: OrgRef[]; blocking: OrgRef[] }> {
  const mine = await tx
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), isNull(organizations.deletedAt)));
  const sole: OrgRef[] = [];
  const blocking: OrgRef[] = [];
  for (const o of mine) {
    const q = tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.organizationId, o.id), sql`${memberships.userId} <> ${userId}`));
    const others = lock ? await q.for("update") : await q;
    const ref = { id: o.id, slug: o.slug, name: o.name };
    if (!others.length) sole.push(ref);
    else if (o.role === "ADMIN" && !others.some((m) => m.role === "ADMIN")) blocking.push(ref);
  }
  return { sole, blocking };
}

export type AccountDeletion = { purgeAfter: Date; organizations: OrgRef[] };

/**
 * Organizations the user is the only member of go with the account (and come back with it);
 * an organization with other members needs another ADMIN first. `input` null: the operator
 * CLI, which needs no re-authentication.
 */
export async function eraseAccount({ userId, meta, input }: { userId: string; meta: RequestMeta; input: { password?: string; code?: string } | null }): Promise<AccountDeletion> {
  const d = newDeletion();
  const { user, sole } = await db().transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw new NotFound("Account not found.");
    if (user.deletedAt) throw new Conflict(deletedAccountMessage(user.purgeAfter));
    if (input) await reauthenticate(tx, user, input);
    const { sole, blocking } = await membershipsOf(tx, userId, true);
    const [block] = blocking;
    if (block)
      throw new Conflict(`You are the last admin of "${block.name}" (${block.slug}), which has other members: make one of them an admin, or delete the organization, before deleting your account.`);
    await tx.update(users).set({ deletedAt: d.at, purgeAfter: d.purgeAfter, restoreTokenHash: d.tokenHash, updatedAt: d.at }).where(eq(users.id, userId));
    await revokeUserSessions(tx, userId);
    await markOrganizationsDeleted(
      tx,
      sole.map((o) => o.id),
      userId,
      d,
      meta,
    );
    await recordAudit(tx, {
      organizationId: null,
      actorUserId: userId,
      action: "account.deleted",
      targetType: "user",
      targetId: userId,
      metadata: { purgeAfter: d.purgeAfter.toISOString(), organizations: sole.map((o) => o.slug) },
      meta,
    });
    return { user, sole };
  });
  await quiesce(
    sole.map((o) => o.id),
    userId,
  );
  const what = sole.length ? `Your Perigee account and ${sole.map((o) => `"${o.name}"`).join(", ")}` : "Your Perigee account";
  await sendRestoreMail(user, what, d);
  return { purgeAfter: d.purgeAfter, organizations: sole };
}

/** Deletes one organization; `byUserId` gets the restore link (null, the operator CLI: every admin does). */
export async function eraseOrganization({ organizationId, byUserId, meta }: { organizationId: string; byUserId: string | null; meta: RequestMeta }): Promise<{ purgeAfter: Date }> {
  const d = newDeletion();
  const org = await db().transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, organizationId)).for("update");
    if (!org) throw new NotFound("Organization not found.");
    if (org.deletedAt) throw new Conflict(`"${org.name}" is already deleted; it is purged after ${fmtDate(org.purgeAfter ?? d.purgeAfter)}.`);
    await markOrganizationsDeleted(tx, [organizationId], byUserId, d, meta);
    return org;
  });
  await quiesce([organizationId], null);
  const admins = await db()
    .select({ email: users.email, name: users.name, id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, "ADMIN"), isNull(users.deletedAt)));
  // The one who deleted it gets the link; when the operator did, every admin does.
  const to = admins.filter((a) => !byUserId || a.id === byUserId);
  for (const a of to) await sendRestoreMail(a, `The organization "${org.name}" (${org.slug})`, d);
  return { purgeAfter: d.purgeAfter };
}

export type Restored = { user: { id: string; email: string } | null; organizations: OrgRef[] };

/**
 * Undoes a deletion within its grace period. By token: the account and/or organizations the
 * link was mailed for. By id (the operator): the account and the organizations deleted with it.
 */
export async function restoreDeletion({ tokenHash, userId, organizationId, meta }: { tokenHash?: string; userId?: string; organizationId?: string; meta: RequestMeta }): Promise<Restored> {
  const now = new Date();
  const out = await db().transaction(async (tx) => {
    const live = sql`${users.purgeAfter} > ${now.toISOString()}::timestamptz`;
    const [user] = tokenHash
      ? await tx
          .select()
          .from(users)
          .where(and(eq(users.restoreTokenHash, tokenHash), isNotNull(users.deletedAt), live))
          .for("update")
      : userId
        ? await tx
            .select()
            .from(users)
            .where(and(eq(users.id, userId), isNotNull(users.deletedAt), live))
            .for("update")
        : [];
    const orgLive = sql`${organizations.purgeAfter} > ${now.toISOString()}::timestamptz`;
    const orgWhere = tokenHash
      ? eq(organizations.restoreTokenHash, tokenHash)
      : user
        ? and(eq(organizations.deletedById, user.id), eq(organizations.deletedAt, user.deletedAt!))
        : organizationId
          ? eq(organizations.id, organizationId)
          : sql`false`;
    const orgs = await tx
      .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
      .from(organizations)
      .where(and(orgWhere, isNotNull(organizations.deletedAt), orgLive))
      .for("update");
    if (!user && !orgs.length) return null;
    if (user) {
      await tx.update(users).set({ deletedAt: null, purgeAfter: null, restoreTokenHash: null, updatedAt: now }).where(eq(users.id, user.id));
      await recordAudit(tx, { organizationId: null, actorUserId: user.id, action: "account.restored", targetType: "user", targetId: user.id, meta });
    }
    if (orgs.length) {
      await tx
        .update(organizations)
        .set({ deletedAt: null, deletedById: null, purgeAfter: null, restoreTokenHash: null, updatedAt: now })
        .where(
          inArray(
            organizations.id,
            orgs.map((o) => o.id),
          ),
        );
      // A heartbeat's period starts afresh: the days spent deleted are not missed pings.
      await tx
        .update(monitors)
        .set({ lastHeartbeatAt: now })
        .where(
          and(
            inArray(
              monitors.organizationId,
              orgs.map((o) => o.id),
            ),
            eq(monitors.type, "heartbeat"),
            isNotNull(monitors.lastHeartbeatAt),
          ),
        );
      for (const o of orgs) await recordAudit(tx, { organizationId: o.id, actorUserId: user?.id ?? null, action: "organization.restored", targetType: "organization", targetId: o.id, meta });
    }
    return { user: user ? { id: user.id, email: user.email } : null, organizations: orgs };
  });
  if (!out) throw new NotFound("Nothing to restore: the link is unknown, was already used, or its grace period ended (the data is then erased for good).");
  await revive(
    out.organizations.map((o) => o.id),
    out.user?.id ?? null,
  );
  return out;
}
