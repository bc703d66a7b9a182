import { and, eq, sql } from "drizzle-orm";
import { assertNotThrottled, hit, type Window } from "../../auth/throttle";
import type { RequestMeta } from "../../context";
import { db } from "../../db/client";
import { orgIsLive } from "../../privacy/live";
import { statusPages, statusSubscribers, type StatusPage } from "../../db/schema";
import { NotFound } from "../../errors";
import { hashToken, randomToken } from "../../lib/crypto";
import { parseInput } from "../../lib/parse";
import { log } from "../../log";
import { esc, layout, sendMail } from "../../mail/mailer";
import { CONFIRM_TTL_HOURS, pageBaseUrl, unsubscribeUrl } from "../../status/subscribers";
import { subscribeSchema } from "../../validation/status-subscribers";
import { ownComponentIds } from "../status-pages/internal";

/** Sign-up limits (each attempt counts, whatever its outcome). */
export const SUBSCRIBE_LIMITS = {
  /** One page: a flood of sign-ups would mail strangers in the page's name. */
  page: { limit: 60, windowSeconds: 3600 },
  /** One address on one page: nobody is mail-bombed with confirmation links. */
  pageAddress: { limit: 3, windowSeconds: 3600 },
  /** One address across pages (an attacker with many pages). */
  address: { limit: 10, windowSeconds: 3600 },
  /** One client. */
  ip: { limit: 20, windowSeconds: 3600 },
} as const satisfies Record<string, Window>;

/** The one answer, whatever happened: it never tells whether an address was already subscribed. */
export const SUBSCRIBE_ANSWER = `Check your inbox: we sent you an email to confirm the subscription. The link expires in ${CONFIRM_TTL_HOURS} hours.`;

// Bucket names are keyed hashes (as in auth/throttle.ts): Redis never holds the address.
const bucket = (what: string, id: string) => `throttle:status-sub:${what}:${hashToken(`status-sub:${what}:${id}`)}`;

/**
 * Public sign-up with double opt-in. A new or still-unconfirmed address gets a fresh
 * confirmation link (only its keyed hash is stored; only the newest link works); a confirmed
 * one changes nothing and is told it is already subscribed. The caller gets the same answer
 * either way, and mail leaves off the request path, so the form cannot tell who follows a page.
 * The transport resolves the page and decides the visitor may see it (private pages).
 */
export async function subscribeToStatusPage({ pageId, pageSlug, input, meta }: { pageId?: string; pageSlug?: string; input: unknown; meta: RequestMeta }): Promise<{ message: string }> {
  const d = parseInput(subscribeSchema, input);
  const [page] = await db()
    .select()
    .from(statusPages)
    .where(and(pageId ? eq(statusPages.id, pageId) : eq(statusPages.slug, pageSlug ?? ""), orgIsLive(statusPages.organizationId)))
    .limit(1);
  if (!page || !page.published) throw new NotFound("No such status page");

  const buckets = [
    { key: bucket("page", page.id), window: SUBSCRIBE_LIMITS.page, what: "sign-ups on this page right now" },
    { key: bucket("page-addr", `${page.id}|${d.email}`), window: SUBSCRIBE_LIMITS.pageAddress, what: "sign-ups for this address" },
    { key: bucket("addr", d.email), window: SUBSCRIBE_LIMITS.address, what: "sign-ups for this address" },
    { key: bucket("ip", meta.ip ?? "unknown"), window: SUBSCRIBE_LIMITS.ip, what: "sign-ups from your network" },
  ];
  await assertNotThrottled(buckets);
  await Promise.all(buckets.map((b) => hit(b.key, b.window)));

  const componentIds = await ownComponentIds(db(), page.id, d.componentIds);

  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + CONFIRM_TTL_HOURS * 3600_000);
  // New, or still pending: (re)arm the confirmation. Confirmed: the WHERE keeps the row as it is.
  const [pending] = await db()
    .insert(statusSubscribers)
    .values({ organizationId: page.organizationId, pageId: page.id, kind: "email", email: d.email, componentIds, confirmTokenHash: hashToken(token), confirmExpiresAt: expiresAt })
    .onConflictDoUpdate({
      target: [statusSubscribers.pageId, statusSubscribers.email],
      targetWhere: sql`email is not null`,
      set: { componentIds, confirmTokenHash: hashToken(token), confirmExpiresAt: expiresAt },
      setWhere: sql`${statusSubscribers.confirmedAt} is null`,
    })
    .returning({ id: statusSubscribers.id });

  if (pending) void mail(page, d.email, confirmationMail(page, token));
  else {
    const [known] = await db()
      .select({ id: statusSubscribers.id })
      .from(statusSubscribers)
      .where(and(eq(statusSubscribers.pageId, page.id), eq(statusSubscribers.email, d.email)));
    if (known) void mail(page, d.email, alreadySubscribedMail(page, known.id));
  }
  return { message: SUBSCRIBE_ANSWER };
}

type Body = { subject: string; text: string; html: string };

async function mail(page: StatusPage, to: string, body: Body): Promise<void> {
  try {
    await sendMail({ to, ...body });
  } catch (e) {
    // The address is not logged: it is the subscriber's personal data.
    log.error("status subscription email failed", { pageId: page.id, err: (e as Error).message });
  }
}

const button = (href: string, label: string) =>
  `<p><a href="${esc(href)}" style="display:inline-block;background:#3b5bdb;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">${esc(label)}</a></p>`;

function confirmationMail(page: StatusPage, token: string): Body {
  const link = `${pageBaseUrl(page)}/subscribe/confirm?token=${token}`;
  const note = `The link expires in ${CONFIRM_TTL_HOURS} hours. If you did not ask for this, ignore this email: you will not be subscribed.`;
  return {
    subject: `Confirm your subscription to ${page.name}`,
    text: `Someone (hopefully you) asked to receive status updates from ${page.name}.\n\nConfirm the subscription:\n${link}\n\n${note}\n`,
    html: layout(
      `Confirm your subscription to ${page.name}`,
      `<p>Someone (hopefully you) asked to receive status updates from ${esc(page.name)}.</p>${button(link, "Confirm subscription")}<p style="color:#5b6475">${esc(note)}</p>`,
    ),
  };
}

function alreadySubscribedMail(page: StatusPage, subscriberId: string): Body {
  const unsub = unsubscribeUrl(page, subscriberId);
  const note = "To change the components you follow, unsubscribe and subscribe again. If you did not ask, ignore this email: nothing changed.";
  return {
    subject: `You are already subscribed to ${page.name}`,
    text: `Someone (hopefully you) asked to receive status updates from ${page.name}. This address already receives them.\n\n${note}\n\nUnsubscribe: ${unsub}\n`,
    html: layout(
      `You are already subscribed to ${page.name}`,
      `<p>Someone (hopefully you) asked to receive status updates from ${esc(page.name)}. This address already receives them.</p><p style="color:#5b6475">${esc(note)}</p><p><a href="${esc(unsub)}">Unsubscribe</a></p>`,
    ),
  };
}
