import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNotNull, type SQL } from "drizzle-orm";
import { statusPages } from "../db/schema";
import { env } from "../env";
import { decrypt, encrypt } from "../lib/crypto";
import type { StatusPage } from "../db/schema";

/**
 * What the subscriber verbs, the notice sender and the public routes share: where a page
 * lives, the unsubscribe token, and a webhook subscriber's sealed URL and signing secret.
 */

/** The double opt-in window. */
export const CONFIRM_TTL_HOURS = 48;

/**
 * The page's public base URL: its custom domain once verified (served at `/` there),
 * otherwise `${APP_URL}/status/{slug}`. Links in mails point here, so a subscriber of a
 * branded page never sees the install's own host.
 */
export function pageBaseUrl(page: Pick<StatusPage, "slug" | "customDomain" | "domainVerifiedAt">): string {
  if (page.customDomain && page.domainVerifiedAt) return `https://${page.customDomain}`;
  return `${env().APP_URL}/status/${encodeURIComponent(page.slug)}`;
}

/** How a public request names its page: by slug, or by the verified custom domain it came in on. */
export type PageSelector = { slug: string } | { domain: string };

export function pageWhere(by: PageSelector): SQL {
  return "slug" in by ? eq(statusPages.slug, by.slug) : and(eq(statusPages.customDomain, by.domain.toLowerCase()), isNotNull(statusPages.domainVerifiedAt))!;
}

// A key of its own (derived from AUTH_SECRET), so an unsubscribe MAC is never also a valid
// session or token hash.
const macOf = (subscriberId: string) => createHmac("sha256", env().AUTH_SECRET).update(`status-unsubscribe:${subscriberId}`).digest("base64url");

/**
 * A stateless unsubscribe token: the subscriber id and its HMAC. It never expires (a link in
 * an old mail must still work) and stops meaning anything once the row is deleted.
 */
export function unsubscribeToken(subscriberId: string): string {
  return `${subscriberId}.${macOf(subscriberId)}`;
}

/** The subscriber id a token was made for, or null when it was not made by us. */
export function subscriberOfToken(token: string): string | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, id, mac] = m as unknown as [string, string, string];
  const want = Buffer.from(macOf(id));
  const got = Buffer.from(mac);
  return want.length === got.length && timingSafeEqual(want, got) ? id : null;
}

export const unsubscribeUrl = (page: Parameters<typeof pageBaseUrl>[0], subscriberId: string) => `${pageBaseUrl(page)}/unsubscribe?token=${unsubscribeToken(subscriberId)}`;

export type WebhookSecrets = { url: string; signingSecret: string };

const webhookAad = (subscriberId: string) => `status-subscriber:${subscriberId}:webhook`;

/** A Standard Webhooks signing secret: "whsec_" + base64 of 32 random bytes (as webhook channels). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** URL and secret sealed together, bound to the subscriber row (copied to another row it will not open). */
export function sealWebhook(subscriberId: string, s: WebhookSecrets): string {
  return encrypt(JSON.stringify(s), webhookAad(subscriberId));
}

export function openWebhook(subscriberId: string, secretsEnc: string): WebhookSecrets {
  return JSON.parse(decrypt(secretsEnc, webhookAad(subscriberId))) as WebhookSecrets;
}
