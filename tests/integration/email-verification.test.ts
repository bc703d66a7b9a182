import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import { notificationLog, users } from "../../src/server/db/schema";
import type { Ctx } from "../../src/server/context";
import { Forbidden, Invalid } from "../../src/server/errors";
import { confirmEmail } from "../../src/server/services/account/confirm-email";
import { CONFIRM_FIRST } from "../../src/server/services/account/internal";
import { UNCONFIRMED_ALERT_SKIP } from "../../src/server/notifications/email-gate";
import { resendConfirmation } from "../../src/server/services/account/resend-confirmation";
import { createAccount } from "../../src/server/services/auth/create-account";
import { signUp } from "../../src/server/services/auth/sign-up";
import { createChannel } from "../../src/server/services/channels/create";
import { sendChannelTest } from "../../src/server/services/channels/send-test";
import { acceptInvitation } from "../../src/server/services/organizations/accept-invitation";
import { acceptInvitationAsNewUser } from "../../src/server/services/organizations/accept-invitation-as-new-user";
import { inviteMember } from "../../src/server/services/organizations/invite-member";
import { attempt, goDown, monitorOn, recover } from "../helpers/channel-delivery";
import { addMember, createTenant, createUser, meta, uniqueEmail } from "../helpers/factories";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";

let smtp: Smtp;
beforeAll(async () => {
  smtp = await startSmtp();
  // Before the first env() call in this file: env() caches what it reads.
  process.env.SMTP_URL = smtp.url;
});
afterAll(() => smtp.close());

let n = 0;
const ipMeta = () => ({ ...meta, ip: `198.19.${Math.floor(++n / 250)}.${n % 250}` });
const tokenFrom = (text: string) => /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
const confirmed = async (id: string) => (await db().select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, id)))[0]!.at !== null;

async function newSignUp() {
  const email = uniqueEmail("fresh");
  const r = await signUp({ input: { name: "Fresh Person", email, password: "a long enough password", organizationName: `Fresh ${n}` }, meta: ipMeta() });
  const ctx: Ctx = { actor: { userId: r.user.id, email, isAdmin: false }, org: { ...r.organization, role: "ADMIN" }, meta };
  return { ...r, email, ctx };
}

describe("sign-up proves the address", () => {
  it("unconfirmed: the account works, but alert email is skipped (and logged so) and invitations are refused; after the link both work", async () => {
    const s = await newSignUp();
    expect(await confirmed(s.user.id)).toBe(false);
    const verifyMail = await smtp.waitFor((m) => toOf(m).includes(s.email));
    expect(verifyMail.subject).toBe("Confirm your email address for Perigee");

    // The account works: it can make a channel and a monitor.
    const alertTo = uniqueEmail("oncall");
    const ch = await createChannel({ ctx: s.ctx, input: { name: "On call", type: "email", to: alertTo } });
    const m = await monitorOn(s.organization.id, [ch.id]);
    const [d] = await goDown(m.id);
    const a = await attempt(d!.id);
    expect(a.row.status).toBe("skipped");
    expect(a.log.at(-1)).toMatchObject({ status: "skipped", response: UNCONFIRMED_ALERT_SKIP });
    expect(UNCONFIRMED_ALERT_SKIP).toMatch(/^confirm your email address first/);

    // A test send says why nothing went out, and the log says "skipped".
    const test = await sendChannelTest({ ctx: s.ctx, channelId: ch.id });
    expect(test).toMatchObject({ ok: false, error: UNCONFIRMED_ALERT_SKIP });
    const [testLog] = await db()
      .select()
      .from(notificationLog)
      .where(and(eq(notificationLog.channelId, ch.id), eq(notificationLog.eventKind, "test")));
    expect(testLog).toMatchObject({ status: "skipped", error: UNCONFIRMED_ALERT_SKIP });

    const inv = await inviteMember({ ctx: s.ctx, input: { email: uniqueEmail("friend"), role: "VIEWER" } }).catch((x) => x);
    expect(inv).toBeInstanceOf(Forbidden);
    expect(inv.message).toBe(CONFIRM_FIRST);

    expect(await confirmEmail({ input: { token: tokenFrom(verifyMail.text!) }, meta })).toEqual({ purpose: "verify", email: s.email });
    expect(await confirmed(s.user.id)).toBe(true);

    const [d2] = await recover(m.id);
    expect((await attempt(d2!.id)).row.status).toBe("delivered");
    await smtp.waitFor((x) => toOf(x).includes(alertTo));
    // The skipped alert is not sent after the fact.
    expect(smtp.messages.filter((x) => toOf(x).includes(alertTo))).toHaveLength(1);

    const friend = uniqueEmail("friend");
    await inviteMember({ ctx: s.ctx, input: { email: friend, role: "VIEWER" } });
    await smtp.waitFor((x) => toOf(x).includes(friend));
  });

  it("an organization with one confirmed ADMIN sends alert email even if another ADMIN is unconfirmed", async () => {
    const s = await newSignUp();
    const other = await createUser({ emailConfirmed: true });
    await addMember(s.organization.id, other.id, "ADMIN");
    const alertTo = uniqueEmail("team");
    const ch = await createChannel({ ctx: s.ctx, input: { name: "Team", type: "email", to: alertTo } });
    const [d] = await goDown((await monitorOn(s.organization.id, [ch.id])).id);
    expect((await attempt(d!.id)).row.status).toBe("delivered");
  });

  it("resend: a new link, the previous one stops working; refused once confirmed", async () => {
    const s = await newSignUp();
    const first = tokenFrom((await smtp.waitFor((m) => toOf(m).includes(s.email))).text!);
    await resendConfirmation({ userId: s.user.id, meta });
    const second = tokenFrom((await smtp.waitFor((m) => toOf(m).includes(s.email) && !m.text!.includes(first))).text!);
    await expect(confirmEmail({ input: { token: first }, meta })).rejects.toBeInstanceOf(Invalid);
    await confirmEmail({ input: { token: second }, meta });
    await expect(resendConfirmation({ userId: s.user.id, meta })).rejects.toThrow(/already confirmed/);
  });

  it("operator-created and invited users count as confirmed", async () => {
    const cli = await createAccount({ input: { email: uniqueEmail("cli"), password: "a long enough password", organizationName: "CLI Org" }, meta });
    expect(await confirmed(cli.user.id)).toBe(true);

    const t = await createTenant("Inviting");
    const newcomer = uniqueEmail("newcomer");
    const { token } = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: newcomer, role: "EDITOR" } });
    const made = await acceptInvitationAsNewUser({ token, input: { name: "New Comer", password: "a long enough password" }, meta });
    expect(await confirmed(made.user.id)).toBe(true);

    // An existing unconfirmed account that accepts an invitation mailed to it is proven too.
    const s = await newSignUp();
    const again = await inviteMember({ ctx: t.ctx.ADMIN, input: { email: s.email, role: "VIEWER" } });
    await acceptInvitation({ token: again.token, userId: s.user.id, meta });
    expect(await confirmed(s.user.id)).toBe(true);
  });

  it("a verify link for an address the account no longer uses is refused", async () => {
    const s = await newSignUp();
    const token = tokenFrom((await smtp.waitFor((m) => toOf(m).includes(s.email))).text!);
    await db()
      .update(users)
      .set({ email: uniqueEmail("elsewhere") })
      .where(eq(users.id, s.user.id));
    await expect(confirmEmail({ input: { token }, meta })).rejects.toBeInstanceOf(Invalid);
    expect(await confirmed(s.user.id)).toBe(false);
  });
});
