import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { log } from "../log";

/**
 * Values in Redis that grant something (an API key's resolution, a kept idempotent answer, a
 * pending 2FA sign-in) are stored as "m1.<mac>.<value>", where the MAC is HMAC-SHA256 over the
 * full key name and the value, keyed by a subkey derived from AUTH_SECRET. Whoever can write
 * Redis (a compromised host sharing it) cannot mint an entry, nor move a genuine one to
 * another key; an entry that fails the check is a miss, and is logged.
 */
let subkey: { secret: string; key: Buffer } | undefined;
function macKey(): Buffer {
  const secret = env().AUTH_SECRET;
  if (subkey?.secret !== secret) subkey = { secret, key: createHmac("sha256", secret).update("perigee-redis-mac-v1").digest() };
  return subkey.key;
}

// The key name as Redis sees it (with the prefix), length-prefixed so key and value can't shift.
const macOf = (key: string, value: string) => {
  const name = `${env().REDIS_PREFIX}${key}`;
  return createHmac("sha256", macKey()).update(`${name.length}:${name}\n${value}`).digest();
};

/** The value to store at `key` (the key as passed to redis(), without the prefix). */
export function withMac(key: string, value: string): string {
  return `m1.${macOf(key, value).toString("base64url")}.${value}`;
}

/** The value stored at `key`, or null when there is none or its MAC does not verify. */
export function verifiedValue(key: string, stored: string | null | undefined): string | null {
  if (stored == null) return null;
  const m = /^m1\.([A-Za-z0-9_-]{43})\./.exec(stored);
  const value = m ? stored.slice(m[0].length) : "";
  const ok = m !== null && timingSafeEqual(Buffer.from(m[1]!, "base64url"), macOf(key, value));
  if (!ok) {
    // Only the key's kind ("api:auth", "signin2fa") is logged: names carry hashes of secrets.
    log.warn("a Redis entry failed its integrity check and was ignored", { kind: key.replace(/:[^:]{32,}.*$/, "") });
    return null;
  }
  return value;
}
