/**
 * The password gate of a private status page: a throttled bcrypt check, and the signed cookie
 * it grants. The cookie embeds a fingerprint of the page's password hash, so changing the
 * password signs every visitor out; it is bound to the page id and expires.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { verifyPassword } from "../auth/password";
import { hit, assertNotThrottled, type Window } from "../auth/throttle";
import { env } from "../env";
import { hashToken } from "../lib/crypto";

export const PAGE_COOKIE = "perigee_page";
export const PAGE_COOKIE_TTL_SECONDS = 7 * 24 * 3600;
/** Wrong passwords per IP and page. */
export const PAGE_PASSWORD_WINDOW: Window = { limit: 10, windowSeconds: 15 * 60 };

let subkey: { secret: string; key: Buffer } | undefined;
function key(): Buffer {
  const secret = env().AUTH_SECRET;
  if (subkey?.secret !== secret) subkey = { secret, key: createHmac("sha256", secret).update("perigee-status-page-cookie-v1").digest() };
  return subkey.key;
}

const mac = (pageId: string, exp: number, passwordHash: string) =>
  createHmac("sha256", key())
    .update(`${pageId}.${exp}.${createHmac("sha256", key()).update(passwordHash).digest("base64url")}`)
    .digest();

/** The cookie value granting access to `pageId` until `now + ttl`. */
export function pageCookieValue(pageId: string, passwordHash: string, now = Date.now()): string {
  const exp = Math.floor(now / 1000) + PAGE_COOKIE_TTL_SECONDS;
  return `${pageId}.${exp}.${mac(pageId, exp, passwordHash).toString("base64url")}`;
}

/** Whether one of the values (several cookies may share the name) grants access to the page now. */
export function pageCookieValid(values: readonly string[], pageId: string, passwordHash: string | null, now = Date.now()): boolean {
  if (!passwordHash) return false;
  return values.some((v) => {
    const m = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(v);
    if (!m || m[1] !== pageId || Number(m[2]) * 1000 < now) return false;
    return timingSafeEqual(Buffer.from(m[3]!, "base64url"), mac(pageId, Number(m[2]), passwordHash));
  });
}

const throttleKey = (pageId: string, ip: string) => `throttle:statuspw:${hashToken(`throttle:statuspw:${pageId}:${ip}`)}`;

/** Checks a visitor's password for a page; throws RateLimited after too many failures from one IP. */
export async function checkPagePassword({ pageId, passwordHash, password, ip }: { pageId: string; passwordHash: string | null; password: string; ip: string }): Promise<boolean> {
  const k = throttleKey(pageId, ip);
  await assertNotThrottled([{ key: k, window: PAGE_PASSWORD_WINDOW, what: "password attempts" }]);
  const ok = !!passwordHash && password.length > 0 && password.length <= 200 && (await verifyPassword(password, passwordHash));
  if (!ok) await hit(k, PAGE_PASSWORD_WINDOW);
  return ok;
}
