import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { db } from "../../db/client";
import { invitations, memberships, users } from "../../db/schema";
import type { Ctx } from "../../context";
import { Conflict } from "../../errors";
import { requirePermission } from "../../auth/permissions";
import { env } from "../../env";
import { hashToken, randomToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { log } from "../../log";
import { esc, layout, sendMail } from "../../mail/mailer";
import { inviteSchema } from "../../validation/organizations";
import { assertEmailConfirmed } from "../account/internal";
import { recordAudit } from "../audit/record";
import { assertSeatAvailable } from "./internal";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Invites by email; the link carries a one-time token valid for 7 days (only its hash is stored). */
export async function inviteMember({ ctx, input }: { ctx: Ctx; input: unknown }) {
  requirePermission(ctx, "invitations:manage");
  const { email, role } = parseInput(inviteSchema, input);
  await assertEmailConfirmed(db(), ctx.actor.userId);
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);

  const invitation = await db().transaction(async (tx) => {
    const [member] = await tx
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, ctx.org.id), eq(sql`lower(${users.email})`, email)))
      .limit(1);
    if (member) throw new Conflict(`${email} is already a member.`, { email: [`${email} is already a member of ${ctx.org.name}.`] });
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.organizationId, ctx.org.id), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
      .limit(1);
    if (pending) throw new Conflict(`${email} already has a pending invitation.`, { email: [`${email} already has a pending invitation; revoke it to send a new one.`] });
    await assertSeatAvailable(tx, ctx.org.id, "member");
    const [inv] = await tx
      .insert(invitations)
      .values({ organizationId: ctx.org.id, email, role, tokenHash: hashToken(token), invitedById: ctx.actor.userId, expiresAt })
      .returning();
    await recordAudit(tx, {
      organizationId: ctx.org.id,
      actorUserId: ctx.actor.userId,
      action: "invitation.created",
      targetType: "invitation",
      targetId: inv!.id,
      metadata: { email, role },
      meta: ctx.meta,
    });
    return inv!;
  });

  const [inviter] = await db().select({ name: users.name }).from(users).where(eq(users.id, ctx.actor.userId));
  const link = `${env().APP_URL}/invite/${token}`;
  const who = inviter?.name ?? ctx.actor.email;
  const days = Math.round(INVITATION_TTL_MS / 86_400_000);
  try {
    await sendMail({
      to: email,
      subject: `${who} invited you to ${ctx.org.name} on Perigee`,
      text: `${who} invited you to join ${ctx.org.name} on Perigee as ${role}.\n\nAccept the invitation:\n${link}\n\nThe link works once and expires in ${days} days. If you weren't expecting this, ignore this email.\n`,
      html: layout(
        `Join ${ctx.org.name} on Perigee`,
        `<p>${esc(who)} invited you to join <strong>${esc(ctx.org.name)}</strong> as <strong>${esc(role)}</strong>.</p>
<p><a href="${esc(link)}" style="display:inline-block;background:#3b5bdb;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">Accept invitation</a></p>
<p style="color:#5b6475">Or paste this link into your browser: ${esc(link)}<br>It works once and expires in ${days} days. If you weren't expecting this, ignore this email.</p>`,
      ),
    });
  } catch (e) {
    log.error("invitation email failed", { invitationId: invitation.id, err: (e as Error).message });
  }
  return { invitation, token };
}
