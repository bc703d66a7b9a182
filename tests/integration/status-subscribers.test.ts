// Status-page subscribers end to end through real Postgres, Redis, SMTP and HTTP: double
// opt-in, the page outbox turned into deliveries exactly once, unsubscribe, rate limits,
// webhook subscribers and maintenance notices.
import { createHmac } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../src/server/db/client";
import {
  statusIncidents,
  statusIncidentUpdates,
  statusMaintenances,
  statusNoticeDeliveries,
  statusNotices,
  statusPageComponents,
  statusPages,
  statusSubscribers,
  type StatusPage,
} from "../../src/server/db/schema";
import { Forbidden, Invalid, NotFound, RateLimited } from "../../src/server/errors";
import { NOTIFY_QUEUE } from "../../src/server/jobs/catalog";
import { dispatcher } from "../../src/server/jobs/processors";
import { startNotifications } from "../../src/server/notifications/runtime";
import { addStatusWebhookSubscriber } from "../../src/server/services/status-subscribers/add-webhook";
import { CONFIRM_LINK_EXPIRED, confirmStatusSubscription } from "../../src/server/services/status-subscribers/confirm";
import { SUBSCRIBE_ANSWER, SUBSCRIBE_LIMITS, subscribeToStatusPage } from "../../src/server/services/status-subscribers/subscribe";
import { unsubscribeFromStatusPage } from "../../src/server/services/status-subscribers/unsubscribe";
import { recordMaintenanceNotices } from "../../src/server/status/maintenance-notices";
import { purgeStatusSubscriberData } from "../../src/server/status/retention";
import type { NoticeKind } from "../../src/server/status/model";
import { deliverNotice } from "../../src/server/status/notice-deliver";
import { recordNotice } from "../../src/server/status/notices";
import { drainNotices, sweepNoticeDeliveries } from "../../src/server/status/notify";
import { unsubscribeToken } from "../../src/server/status/subscribers";
import { POST as subscribePost } from "../../src/app/status/[slug]/subscribe/route";
import { GET as confirmGet } from "../../src/app/status/[slug]/subscribe/confirm/route";
import { GET as unsubscribeGet, POST as unsubscribePost } from "../../src/app/status/[slug]/unsubscribe/route";
import { createTenant, uniqueEmail } from "../helpers/factories";
import { insertMonitor } from "../helpers/monitor-factory";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startSmtp, toOf, type Smtp } from "../helpers/smtp";
import { until } from "../helpers/until";

let smtp: Smtp;
let rx: Receiver;
beforeAll(async () => {
  smtp = await startSmtp({ rejectRecipient: (a) => a.startsWith("bounce-") });
  process.env.SMTP_URL = smtp.url; // before env() is first read in this file
  rx = await startReceiver();
});
afterAll(async () => {
  await smtp.close();
  await rx.close();
});

let ipN = 0;
/** A fresh client address per call, so only the limit under test can trip. */
const meta = () => ({ ip: `198.51.${Math.floor(++ipN / 250)}.${ipN % 250}`, userAgent: "vitest" });
const slug = () => `subs-${Math.random().toString(36).slice(2, 10)}`;

async function newPage(orgId: string, over: Partial<typeof statusPages.$inferInsert> = {}) {
  const [p] = await db()
    .insert(statusPages)
    .values({ organizationId: orgId, slug: slug(), name: "Acme <Status>", ...over })
    .returning();
  const comps: (typeof statusPageComponents.$inferSelect)[] = [];
  for (const name of ["API", "Dashboard"]) {
    const m = await insertMonitor(orgId, { name: `${name} monitor`, paused: true });
    const [c] = await db().insert(statusPageComponents).values({ pageId: p!.id, organizationId: orgId, monitorId: m.id, name, position: comps.length }).returning();
    comps.push(c!);
  }
  return { page: p!, api: comps[0]!, dashboard: comps[1]! };
}

/** A header as sent (mailparser restructures List-* headers), unfolded. */
const headerOf = (m: ParsedMail, key: string) => {
  const line = m.headerLines.find((h) => h.key === key)?.line;
  return line
    ?.slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, "")
    .trim();
};
const mailsTo = (email: string) => smtp.messages.filter((m) => toOf(m).includes(email));
const confirmTokenOf = (m: ParsedMail) => /subscribe\/confirm\?token=([A-Za-z0-9_-]+)/.exec(m.text!)![1]!;

/** Subscribes and confirms through the mailed link; returns the subscriber row. */
async function confirmed(page: StatusPage, email: string, componentIds: string[] = []) {
  await subscribeToStatusPage({ pageId: page.id, input: { email, componentIds }, meta: meta() });
  const mail = await smtp.waitFor((m) => toOf(m).includes(email) && m.subject!.startsWith("Confirm"));
  await confirmStatusSubscription({ page: { slug: page.slug }, input: { token: confirmTokenOf(mail) } });
  const [s] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.email, email));
  return s!;
}

/** Publishes an incident with one update and records its notice, as helper C's services do. */
async function incidentNotice(page: StatusPage, componentIds: string[], kind: NoticeKind = "incident_published") {
  return db().transaction(async (tx) => {
    const [inc] = await tx
      .insert(statusIncidents)
      .values({ organizationId: page.organizationId, pageId: page.id, title: "Checkout <errors>", impact: "major", status: "identified", publishedAt: new Date() })
      .returning();
    const [u] = await tx
      .insert(statusIncidentUpdates)
      .values({ incidentId: inc!.id, organizationId: page.organizationId, status: "identified", body: "We found the *cause*: a bad deploy.\nRolling back." })
      .returning();
    await recordNotice(tx, { organizationId: page.organizationId, pageId: page.id, kind, incidentId: inc!.id, updateId: u!.id, componentIds });
    const [n] = await tx.select().from(statusNotices).where(eq(statusNotices.incidentId, inc!.id));
    return { incident: inc!, update: u!, notice: n! };
  });
}

/** Drains until this notice is processed (another file's worker may be draining too). */
async function deliveriesOf(noticeId: number) {
  await until(async () => {
    await drainNotices();
    const [n] = await db().select().from(statusNotices).where(eq(statusNotices.id, noticeId));
    return n!.processedAt !== null;
  });
  return db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.noticeId, noticeId));
}

/** Sends every delivery of a notice now (as its job would), and waits until each is finished by whoever ran it. */
async function sendAll(noticeId: number) {
  const ds = await deliveriesOf(noticeId);
  for (const d of ds) await deliverNotice(d.id);
  await until(async () => (await db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.noticeId, noticeId))).every((d) => d.status === "delivered"));
  return ds;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("double opt-in", () => {
  it("mails a confirmation link (only its hash is stored); confirming is idempotent; unconfirmed addresses hear nothing", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const email = uniqueEmail("sub");
    const r = await subscribeToStatusPage({ pageSlug: page.slug, input: { email: email.toUpperCase() }, meta: meta() });
    expect(r.message).toBe(SUBSCRIBE_ANSWER);
    const mail = await smtp.waitFor((m) => toOf(m).includes(email));
    expect(mail.subject).toBe("Confirm your subscription to Acme <Status>");
    expect(mail.html).toContain("Acme &lt;Status&gt;");
    const token = confirmTokenOf(mail);
    expect(mail.text).toContain(`http://localhost:3000/status/${page.slug}/subscribe/confirm?token=${token}`);
    const [row] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.pageId, page.id));
    expect(row).toMatchObject({ email, kind: "email", confirmedAt: null });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row!.confirmExpiresAt!.getTime() - Date.now()).toBeGreaterThan(47 * 3600_000);

    expect(await confirmStatusSubscription({ page: { slug: page.slug }, input: { token } })).toEqual({ pageName: page.name, alreadyConfirmed: false });
    expect(await confirmStatusSubscription({ page: { slug: page.slug }, input: { token } })).toEqual({ pageName: page.name, alreadyConfirmed: true });
    const [after] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.id, row!.id));
    expect(after!.confirmedAt).not.toBeNull();
    // A token is only good on its own page.
    const other = await newPage(t.org.id);
    await expect(confirmStatusSubscription({ page: { slug: other.page.slug }, input: { token } })).rejects.toBeInstanceOf(Invalid);
  });

  it("links to the page's custom domain once it is verified", async () => {
    const t = await createTenant();
    const host = `${slug()}.acme.test`;
    const { page } = await newPage(t.org.id, { customDomain: host, domainVerifiedAt: new Date() });
    const email = uniqueEmail("branded");
    await subscribeToStatusPage({ pageId: page.id, input: { email }, meta: meta() });
    expect((await smtp.waitFor((m) => toOf(m).includes(email))).text).toMatch(new RegExp(`https://${host.replace(/\./g, "\\.")}/subscribe/confirm\\?token=`));
    const unverified = await newPage(t.org.id, { customDomain: `${slug()}.acme.test` });
    const other = uniqueEmail("plain");
    await subscribeToStatusPage({ pageId: unverified.page.id, input: { email: other }, meta: meta() });
    expect((await smtp.waitFor((m) => toOf(m).includes(other))).text).toContain(`http://localhost:3000/status/${unverified.page.slug}/subscribe/confirm?token=`);
  });

  it("refuses an expired link with a clear message, and a new sign-up replaces the old link", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const email = uniqueEmail("late");
    await subscribeToStatusPage({ pageId: page.id, input: { email }, meta: meta() });
    const first = confirmTokenOf(await smtp.waitFor((m) => toOf(m).includes(email)));
    await db()
      .update(statusSubscribers)
      .set({ confirmExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(statusSubscribers.email, email));
    const err = await confirmStatusSubscription({ page: { slug: page.slug }, input: { token: first } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Error).message).toBe(CONFIRM_LINK_EXPIRED);

    await subscribeToStatusPage({ pageId: page.id, input: { email }, meta: meta() });
    await until(async () => mailsTo(email).length === 2);
    const second = confirmTokenOf(mailsTo(email)[1]!);
    await expect(confirmStatusSubscription({ page: { slug: page.slug }, input: { token: first } })).rejects.toBeInstanceOf(Invalid);
    expect((await confirmStatusSubscription({ page: { slug: page.slug }, input: { token: second } })).alreadyConfirmed).toBe(false);
  });

  it("answers a known address exactly like a new one and changes nothing (no enumeration)", async () => {
    const t = await createTenant();
    const { page, api } = await newPage(t.org.id);
    const email = uniqueEmail("known");
    const before = await confirmed(page, email);
    const r = await subscribeToStatusPage({ pageId: page.id, input: { email, componentIds: [api.id] }, meta: meta() });
    expect(r.message).toBe(SUBSCRIBE_ANSWER);
    const [after] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.id, before.id));
    expect(after).toEqual(before);
    // The owner of the address is told, not the form.
    const told = await smtp.waitFor((m) => toOf(m).includes(email) && m.subject!.startsWith("You are already subscribed"));
    expect(told.text).toContain(`/status/${page.slug}/unsubscribe?token=${unsubscribeToken(before.id)}`);
  });

  it("refuses unknown components, unpublished pages and bad addresses", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const other = await newPage(t.org.id);
    await expect(subscribeToStatusPage({ pageId: page.id, input: { email: uniqueEmail(), componentIds: [other.api.id] }, meta: meta() })).rejects.toBeInstanceOf(Invalid);
    await expect(subscribeToStatusPage({ pageId: page.id, input: { email: "not an address" }, meta: meta() })).rejects.toBeInstanceOf(Invalid);
    const hidden = await newPage(t.org.id, { published: false });
    await expect(subscribeToStatusPage({ pageId: hidden.page.id, input: { email: uniqueEmail() }, meta: meta() })).rejects.toBeInstanceOf(NotFound);
  });
});

describe("sign-up rate limits", () => {
  it("per address: the (N+1)th sign-up within the hour is refused, from any network", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const email = uniqueEmail("spam");
    for (let i = 0; i < SUBSCRIBE_LIMITS.pageAddress.limit; i++) await subscribeToStatusPage({ pageId: page.id, input: { email }, meta: meta() });
    const err = await subscribeToStatusPage({ pageId: page.id, input: { email }, meta: meta() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
    // Another address on the same page is not affected.
    await subscribeToStatusPage({ pageId: page.id, input: { email: uniqueEmail() }, meta: meta() });
  });

  it("per page: the (N+1)th sign-up within the hour is refused, whoever asks", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    for (let i = 0; i < SUBSCRIBE_LIMITS.page.limit; i++) await subscribeToStatusPage({ pageId: page.id, input: { email: uniqueEmail(`p${i}`) }, meta: meta() });
    await expect(subscribeToStatusPage({ pageId: page.id, input: { email: uniqueEmail() }, meta: meta() })).rejects.toBeInstanceOf(RateLimited);
    const other = await newPage(t.org.id);
    await subscribeToStatusPage({ pageId: other.page.id, input: { email: uniqueEmail() }, meta: meta() });
  });

  it("per client address", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const same = meta();
    for (let i = 0; i < SUBSCRIBE_LIMITS.ip.limit; i++) await subscribeToStatusPage({ pageId: page.id, input: { email: uniqueEmail(`ip${i}`) }, meta: same });
    await expect(subscribeToStatusPage({ pageId: page.id, input: { email: uniqueEmail() }, meta: same })).rejects.toBeInstanceOf(RateLimited);
  });
});

describe("delivering notices", () => {
  it("mails each matching confirmed subscriber once, with List-Unsubscribe headers; components filter", async () => {
    const t = await createTenant();
    const { page, api, dashboard } = await newPage(t.org.id);
    const all = await confirmed(page, uniqueEmail("all"));
    const apiOnly = await confirmed(page, uniqueEmail("api"), [api.id]);
    const dashOnly = await confirmed(page, uniqueEmail("dash"), [dashboard.id]);
    const pending = uniqueEmail("pending");
    await subscribeToStatusPage({ pageId: page.id, input: { email: pending }, meta: meta() });

    const { incident, notice } = await incidentNotice(page, [api.id]);
    const ds = await sendAll(notice.id);
    expect(ds.map((d) => d.subscriberId).sort()).toEqual([all.id, apiOnly.id].sort());

    const mail = await smtp.waitFor((m) => toOf(m).includes(all.email!) && m.subject!.startsWith("[Acme"));
    expect(mail.subject).toBe("[Acme <Status>] Checkout <errors> — Identified");
    const unsub = `http://localhost:3000/status/${page.slug}/unsubscribe?token=${unsubscribeToken(all.id)}`;
    expect(headerOf(mail, "list-unsubscribe")).toBe(`<${unsub}>`);
    expect(headerOf(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.text).toContain("We found the *cause*: a bad deploy.\nRolling back.");
    expect(mail.text).toContain("Affected: API");
    expect(mail.text).toContain(`/status/${page.slug}/incidents/${incident.id}`);
    expect(mail.html).toContain("Checkout &lt;errors&gt;");
    expect(mail.html).toContain("We found the <em>cause</em>: a bad deploy.<br>Rolling back.");
    expect(mail.html).not.toContain("<errors>");
    expect(mail.html).toContain(unsub.replace(/&/g, "&amp;"));
    await smtp.waitFor((m) => toOf(m).includes(apiOnly.email!) && m.subject!.startsWith("[Acme"));

    // Drain, sweep and send again: nobody hears twice; the others never hear.
    await drainNotices();
    expect(await sweepNoticeDeliveries({ olderThanMs: 0 })).toBe(0);
    for (const d of ds) expect((await deliverNotice(d.id)).status).toBe("not_claimed");
    await pause(300);
    const incidentMails = (email: string) => mailsTo(email).filter((m) => m.subject!.startsWith("[Acme"));
    expect(incidentMails(all.email!)).toHaveLength(1);
    expect(incidentMails(apiOnly.email!)).toHaveLength(1);
    expect(incidentMails(dashOnly.email!)).toHaveLength(0);
    expect(incidentMails(pending)).toHaveLength(0);
  });

  it("a notice naming no component reaches every subscriber; an unpublished page's reaches nobody", async () => {
    const t = await createTenant();
    const { page, dashboard } = await newPage(t.org.id);
    const dashOnly = await confirmed(page, uniqueEmail("dash"), [dashboard.id]);
    const { notice } = await incidentNotice(page, []);
    expect((await deliveriesOf(notice.id)).map((d) => d.subscriberId)).toEqual([dashOnly.id]);

    await db().update(statusPages).set({ published: false }).where(eq(statusPages.id, page.id));
    const hidden = await incidentNotice(page, []);
    expect(await deliveriesOf(hidden.notice.id)).toEqual([]);
  });

  it("resends once a delivery whose sender crashed (left 'sending' with an expired lease), never one still leased", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const s = await confirmed(page, uniqueEmail("crash"));
    const { notice } = await incidentNotice(page, []);
    const [d] = await deliveriesOf(notice.id);
    // Another sender holds it: not sent.
    await db()
      .update(statusNoticeDeliveries)
      .set({ status: "sending", attempts: 1, lockedUntil: new Date(Date.now() + 60_000) })
      .where(eq(statusNoticeDeliveries.id, d!.id));
    expect((await deliverNotice(d!.id)).status).toBe("not_claimed");
    // Its lease ran out (the process died mid-send): the sweeper picks it up and it is sent once.
    await db()
      .update(statusNoticeDeliveries)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(statusNoticeDeliveries.id, d!.id));
    expect(await sweepNoticeDeliveries({ olderThanMs: 0 })).toBeGreaterThanOrEqual(1);
    const r = await deliverNotice(d!.id);
    await until(async () => (await db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.id, d!.id)))[0]!.status === "delivered");
    expect(["delivered", "not_claimed"]).toContain(r.status);
    expect((await deliverNotice(d!.id)).status).toBe("not_claimed");
    await pause(300);
    expect(mailsTo(s.email!).filter((m) => m.subject!.startsWith("[Acme"))).toHaveLength(1);
    const [row] = await db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.id, d!.id));
    expect(row).toMatchObject({ status: "delivered", attempts: 2, lockedUntil: null });
  });

  it("a refused mailbox fails the delivery for good; the job runner runs status-deliver", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const ok = await confirmed(page, uniqueEmail("job"));
    const [bounce] = await db()
      .insert(statusSubscribers)
      .values({ organizationId: t.org.id, pageId: page.id, kind: "email", email: uniqueEmail("bounce"), confirmedAt: new Date() })
      .returning();
    const { notice } = await incidentNotice(page, []);
    const ds = await deliveriesOf(notice.id);
    const run = dispatcher(NOTIFY_QUEUE);
    const job = (deliveryId: string) => ({ name: "status-deliver", data: { deliveryId }, opts: {}, timestamp: Date.now(), attemptsMade: 0 });
    const bad = ds.find((d) => d.subscriberId === bounce!.id)!;
    await expect(run(job(bad.id))).rejects.toThrow(/mail server refused/);
    const good = ds.find((d) => d.subscriberId === ok.id)!;
    expect(["delivered", "not_claimed"]).toContain(await run(job(good.id)));
    await until(async () => (await db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.id, good.id)))[0]!.status === "delivered");
    const [failed] = await db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.id, bad.id));
    expect(failed!.status).toBe("failed");
  });

  it("through the queue: the drain enqueues one job per delivery and the notification worker sends it", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const s = await confirmed(page, uniqueEmail("queued"));
    const n = startNotifications({ pollMs: 50 });
    try {
      const { notice } = await incidentNotice(page, [], "incident_resolved");
      await deliveriesOf(notice.id);
      await smtp.waitFor((m) => toOf(m).includes(s.email!) && m.subject!.startsWith("[Acme"), 10_000);
    } finally {
      await n.stop();
    }
  });
});

describe("unsubscribe", () => {
  it("deletes the subscriber by the link's token (idempotent); a forged token is refused", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const s = await confirmed(page, uniqueEmail("bye"));
    const token = unsubscribeToken(s.id);
    await expect(unsubscribeFromStatusPage({ page: { slug: page.slug }, input: { token: token.slice(0, -2) + "xx" } })).rejects.toBeInstanceOf(Invalid);
    expect(await unsubscribeFromStatusPage({ page: { slug: page.slug }, input: { token } })).toEqual({ removed: true });
    expect(await db().select().from(statusSubscribers).where(eq(statusSubscribers.id, s.id))).toEqual([]);
    expect(await unsubscribeFromStatusPage({ page: { slug: page.slug }, input: { token } })).toEqual({ removed: false });
  });
});

describe("retention", () => {
  it("deletes addresses never confirmed a day after their link expired, and old processed notices with their deliveries", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const kept = await confirmed(page, uniqueEmail("kept"));
    const rows = await db()
      .insert(statusSubscribers)
      .values([
        { organizationId: t.org.id, pageId: page.id, kind: "email", email: uniqueEmail("stale"), confirmExpiresAt: new Date(Date.now() - 2 * 86_400_000) },
        { organizationId: t.org.id, pageId: page.id, kind: "email", email: uniqueEmail("recent"), confirmExpiresAt: new Date(Date.now() - 3600_000) },
      ])
      .returning();
    const { notice } = await incidentNotice(page, []);
    const [d] = await deliveriesOf(notice.id);
    const fresh = await incidentNotice(page, []);
    await deliveriesOf(fresh.notice.id);
    await db()
      .update(statusNotices)
      .set({ processedAt: new Date(Date.now() - 91 * 86_400_000) })
      .where(eq(statusNotices.id, notice.id));
    await purgeStatusSubscriberData();
    const left = (await db().select().from(statusSubscribers).where(eq(statusSubscribers.pageId, page.id))).map((s) => s.id).sort();
    expect(left).toEqual([kept.id, rows[1]!.id].sort());
    expect(await db().select().from(statusNoticeDeliveries).where(eq(statusNoticeDeliveries.id, d!.id))).toEqual([]);
    expect(await db().select().from(statusNotices).where(eq(statusNotices.id, fresh.notice.id))).toHaveLength(1);
  });
});

describe("webhook subscribers", () => {
  it("an EDITOR adds one (secret shown once, URL sealed); it receives a Standard Webhooks-signed POST", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const { page, api, dashboard } = await newPage(t.org.id);
    const input = { url: `${rx.url}/status-hook`, componentIds: [api.id] };
    await expect(addStatusWebhookSubscriber({ ctx: t.ctx.VIEWER, pageId: page.id, input })).rejects.toBeInstanceOf(Forbidden);
    await expect(addStatusWebhookSubscriber({ ctx: other.ctx.EDITOR, pageId: page.id, input })).rejects.toBeInstanceOf(NotFound);
    const hook = await addStatusWebhookSubscriber({ ctx: t.ctx.EDITOR, pageId: page.id, input });
    expect(hook.signingSecret).toMatch(/^whsec_/);
    const [row] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.id, hook.id));
    expect(row!.kind).toBe("webhook");
    expect(row!.secretsEnc).not.toContain("status-hook");
    expect(row!.secretsEnc).not.toContain(hook.signingSecret.slice(6, 20));

    const { incident, update, notice } = await incidentNotice(page, [api.id], "incident_updated");
    const [d] = await sendAll(notice.id);
    const req = (await until(async () => rx.requests.find((r) => r.path === "/status-hook")))!;
    const id = req.headers["webhook-id"] as string;
    const ts = req.headers["webhook-timestamp"] as string;
    expect(id).toBe(d!.id);
    const expected = createHmac("sha256", Buffer.from(hook.signingSecret.slice("whsec_".length), "base64"))
      .update(`${id}.${ts}.${req.body}`)
      .digest("base64");
    expect(req.headers["webhook-signature"]).toBe(`v1,${expected}`);
    expect(req.json).toMatchObject({
      type: "incident.updated",
      noticeId: String(notice.id),
      data: {
        page: { id: page.id, name: page.name, url: `http://localhost:3000/status/${page.slug}` },
        incident: { id: incident.id, title: "Checkout <errors>", impact: "major", status: "identified" },
        update: { id: update.id, status: "identified", body: update.body },
        maintenance: null,
        components: [{ id: api.id, name: "API" }],
      },
    });
    // A notice about another component does not reach it.
    const dash = await incidentNotice(page, [dashboard.id]);
    expect(await deliveriesOf(dash.notice.id)).toEqual([]);
  });
});

describe("maintenance notices", () => {
  it("records started and ended once each, with two runs at once", async () => {
    const t = await createTenant();
    const { page, api } = await newPage(t.org.id);
    const s = await confirmed(page, uniqueEmail("maint"));
    const now = Date.now();
    const [m] = await db()
      .insert(statusMaintenances)
      .values({
        organizationId: t.org.id,
        pageId: page.id,
        title: "Database upgrade",
        message: "Read-only for a while.",
        componentIds: [api.id],
        startsAt: new Date(now - 1000),
        endsAt: new Date(now + 3600_000),
      })
      .returning();
    // Long over before anyone looked: marked, never announced.
    const [old] = await db()
      .insert(statusMaintenances)
      .values({ organizationId: t.org.id, pageId: page.id, title: "Old", startsAt: new Date(now - 7200_000), endsAt: new Date(now - 3600_000) })
      .returning();
    const noticesOf = (id: string) => db().select().from(statusNotices).where(eq(statusNotices.maintenanceId, id));

    await Promise.all([recordMaintenanceNotices(), recordMaintenanceNotices()]);
    expect((await noticesOf(m!.id)).map((n) => [n.kind, n.componentIds])).toEqual([["maintenance_started", [api.id]]]);
    const [started] = await db().select().from(statusMaintenances).where(eq(statusMaintenances.id, m!.id));
    expect(started!.startNoticeAt).not.toBeNull();
    expect(started!.endNoticeAt).toBeNull();

    await db()
      .update(statusMaintenances)
      .set({ endsAt: new Date(Date.now() - 1000) })
      .where(eq(statusMaintenances.id, m!.id));
    await Promise.all([recordMaintenanceNotices(), recordMaintenanceNotices(), recordMaintenanceNotices()]);
    expect((await noticesOf(m!.id)).map((n) => n.kind).sort()).toEqual(["maintenance_ended", "maintenance_started"]);
    expect(await noticesOf(old!.id)).toEqual([]);
    const [oldRow] = await db().select().from(statusMaintenances).where(eq(statusMaintenances.id, old!.id));
    expect(oldRow!.startNoticeAt && oldRow!.endNoticeAt).toBeTruthy();

    // And the subscriber hears both.
    const ids = (await noticesOf(m!.id)).map((n) => n.id);
    for (const id of ids) await sendAll(id);
    const subjects = mailsTo(s.email!)
      .map((x) => x.subject)
      .filter((x) => x!.startsWith("[Acme"))
      .sort();
    expect(subjects).toEqual(["[Acme <Status>] Maintenance completed: Database upgrade", "[Acme <Status>] Maintenance started: Database upgrade"]);
    const dels = await db()
      .select()
      .from(statusNoticeDeliveries)
      .where(and(inArray(statusNoticeDeliveries.noticeId, ids), eq(statusNoticeDeliveries.subscriberId, s.id)));
    expect(dels).toHaveLength(2);
  });
});

describe("public routes", () => {
  const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
  const form = (slug: string, body: string, ip = meta().ip) =>
    subscribePost(
      new Request(`http://localhost:3000/status/${slug}/subscribe`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-perigee-client-ip": ip }, body }),
      params(slug),
    );

  it("the page's form subscribes (with components) and answers a small HTML page; a known address gets the very same answer", async () => {
    const t = await createTenant();
    const { page, api, dashboard } = await newPage(t.org.id);
    const email = uniqueEmail("form");
    const res = await form(page.slug, `email=${encodeURIComponent(email)}&components=${api.id}&components=${dashboard.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("Check your inbox");
    expect(html).not.toContain("<script");
    const [row] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.email, email));
    expect(row!.componentIds.sort()).toEqual([api.id, dashboard.id].sort());

    await confirmStatusSubscription({ page: { slug: page.slug }, input: { token: confirmTokenOf(await smtp.waitFor((m) => toOf(m).includes(email))) } });
    const again = await form(page.slug, `email=${encodeURIComponent(email)}`);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(html);
    const fresh = await form(page.slug, `email=${encodeURIComponent(uniqueEmail("fresh"))}`);
    expect(await fresh.text()).toBe(html);
  });

  it("takes JSON too, and maps refusals (bad address 400, rate limit 429 with Retry-After)", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const json = (body: unknown, ip = meta().ip) =>
      subscribePost(
        new Request(`http://localhost:3000/status/${page.slug}/subscribe`, { method: "POST", headers: { "content-type": "application/json", "x-perigee-client-ip": ip }, body: JSON.stringify(body) }),
        params(page.slug),
      );
    const ok = await json({ email: uniqueEmail("json") });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ ok: true, message: SUBSCRIBE_ANSWER });
    const bad = await json({ email: "nope" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input");

    const email = uniqueEmail("flood");
    for (let i = 0; i < SUBSCRIBE_LIMITS.pageAddress.limit; i++) expect((await form(page.slug, `email=${encodeURIComponent(email)}`)).status).toBe(200);
    const limited = await form(page.slug, `email=${encodeURIComponent(email)}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Too many");
  });

  it("refuses sign-ups on pages the visitor cannot see, naming nothing of the page", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id, { access: "password", passwordHash: "$2b$12$abcdefghijklmnopqrstuuN3sBZ7sX7pIoSxPuXQvN1bN0lE9aMTi", name: "Secret Ops" });
    const members = await newPage(t.org.id, { access: "members", name: "Members Ops" });
    const hidden = await newPage(t.org.id, { published: false, name: "Hidden Ops" });
    for (const [p, status] of [
      [page, 401],
      [members.page, 404],
      [hidden.page, 404],
    ] as const) {
      const email = uniqueEmail("private");
      const res = await form(p.slug, `email=${encodeURIComponent(email)}`);
      expect(res.status).toBe(status);
      expect(await res.text()).not.toContain("Ops");
      expect(await db().select().from(statusSubscribers).where(eq(statusSubscribers.email, email))).toEqual([]);
    }
    expect((await form("no-such-page-at-all", "email=a%40example.test")).status).toBe(404);
    const json = await subscribePost(
      new Request(`http://localhost:3000/status/${page.slug}/subscribe`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: uniqueEmail() }) }),
      params(page.slug),
    );
    expect(json.status).toBe(401);
    const body = await json.text();
    expect(JSON.parse(body)).toMatchObject({ error: { code: "unauthorized" } });
    expect(body).not.toContain("Ops");
  });

  it("the confirmation link confirms (twice is fine); an expired one says so", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const email = uniqueEmail("link");
    await form(page.slug, `email=${encodeURIComponent(email)}`);
    const token = confirmTokenOf(await smtp.waitFor((m) => toOf(m).includes(email)));
    const open = () => confirmGet(new Request(`http://localhost:3000/status/${page.slug}/subscribe/confirm?token=${token}`), params(page.slug));
    const first = await open();
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Subscription confirmed");
    expect((await open()).status).toBe(200);
    const [row] = await db().select().from(statusSubscribers).where(eq(statusSubscribers.email, email));
    expect(row!.confirmedAt).not.toBeNull();

    const late = uniqueEmail("late");
    await form(page.slug, `email=${encodeURIComponent(late)}`);
    const lateToken = confirmTokenOf(await smtp.waitFor((m) => toOf(m).includes(late)));
    await db()
      .update(statusSubscribers)
      .set({ confirmExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(statusSubscribers.email, late));
    const expired = await confirmGet(new Request(`http://localhost:3000/status/${page.slug}/subscribe/confirm?token=${lateToken}`), params(page.slug));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("expired");
  });

  it("unsubscribe: GET only shows a button; POST (the button, or RFC 8058 one-click) deletes the subscriber", async () => {
    const t = await createTenant();
    const { page } = await newPage(t.org.id);
    const a = await confirmed(page, uniqueEmail("button"));
    const b = await confirmed(page, uniqueEmail("oneclick"));
    const { notice } = await incidentNotice(page, []);
    await sendAll(notice.id);
    const mail = await smtp.waitFor((m) => toOf(m).includes(b.email!) && m.subject!.startsWith("[Acme"));
    const link = headerOf(mail, "list-unsubscribe")!.slice(1, -1);
    const url = (s: typeof a) => `http://localhost:3000/status/${page.slug}/unsubscribe?token=${unsubscribeToken(s.id)}`;
    expect(link).toBe(url(b));
    const exists = async (id: string) => (await db().select().from(statusSubscribers).where(eq(statusSubscribers.id, id))).length === 1;

    const shown = await unsubscribeGet(new Request(url(a)), params(page.slug));
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toMatch(/<form method="post" action="\/status\/[^"]+\/unsubscribe\?token=[^"]+"><button type="submit">Unsubscribe<\/button><\/form>/);
    expect(await exists(a.id)).toBe(true);

    const done = await unsubscribePost(new Request(url(a), { method: "POST" }), params(page.slug));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Unsubscribed");
    expect(await exists(a.id)).toBe(false);

    const oneClick = await unsubscribePost(
      new Request(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
      params(page.slug),
    );
    expect(oneClick.status).toBe(200);
    expect(await exists(b.id)).toBe(false);

    const forged = `http://localhost:3000/status/${page.slug}/unsubscribe?token=${a.id}.${"A".repeat(43)}`;
    expect((await unsubscribeGet(new Request(forged), params(page.slug))).status).toBe(400);
    expect((await unsubscribePost(new Request(forged, { method: "POST" }), params(page.slug))).status).toBe(400);
  });

  it("on a verified custom domain the page is named by the host the proxy rewrote from, and links stay on it", async () => {
    const t = await createTenant();
    const host = `${slug()}.acme.test`;
    const { page } = await newPage(t.org.id, { customDomain: host, domainVerifiedAt: new Date() });
    const s = await confirmed(page, uniqueEmail("domain"));
    const onDomain = (path: string, init: RequestInit = {}) => new Request(`https://${host}${path}`, { ...init, headers: { ...init.headers, "x-perigee-status-domain": host } });
    const token = unsubscribeToken(s.id);
    const shown = await unsubscribeGet(onDomain(`/unsubscribe?token=${token}`), params("ignored"));
    expect(await shown.text()).toContain(`action="/unsubscribe?token=${token}"`);
    expect((await unsubscribePost(onDomain(`/unsubscribe?token=${token}`, { method: "POST" }), params("ignored"))).status).toBe(200);
    expect(await db().select().from(statusSubscribers).where(eq(statusSubscribers.id, s.id))).toEqual([]);
  });
});
