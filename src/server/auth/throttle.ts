import { redis } from "../redis";
import { RateLimited } from "../errors";
import { hashToken } from "../lib/crypto";

export type Window = { limit: number; windowSeconds: number };

// Failed sign-ins: per account protects one user; per IP stops spraying many accounts.
export const SIGN_IN_PER_ACCOUNT: Window = { limit: 5, windowSeconds: 15 * 60 };
export const SIGN_IN_PER_IP: Window = { limit: 20, windowSeconds: 15 * 60 };
export const RESET_PER_ACCOUNT: Window = { limit: 3, windowSeconds: 60 * 60 };
export const RESET_PER_IP: Window = { limit: 10, windowSeconds: 60 * 60 };
// Every sign-up attempt costs a bcrypt hash and claims an address, so each one counts.
export const SIGN_UP_PER_ADDRESS: Window = { limit: 5, windowSeconds: 60 * 60 };
export const signUpPerIp = (limit: number): Window => ({ limit, windowSeconds: 60 * 60 });
// Resending a confirmation link mails an address the requester may not own.
export const CONFIRM_MAIL_PER_ACCOUNT: Window = { limit: 5, windowSeconds: 60 * 60 };

function minutes(seconds: number) {
  const m = Math.ceil(seconds / 60);
  return m <= 1 ? "a minute" : `${m} minutes`;
}

/** Refuses when a bucket is already at its limit; counts nothing. */
export async function assertNotThrottled(keys: { key: string; window: Window; what: string }[]): Promise<void> {
  for (const k of keys) {
    const [count, ttl] = await redis()
      .multi()
      .get(k.key)
      .ttl(k.key)
      .exec()
      .then((r) => [Number(r?.[0]?.[1] ?? 0), Number(r?.[1]?.[1] ?? -1)]);
    if ((count ?? 0) >= k.window.limit) {
      const retry = ttl && ttl > 0 ? ttl : k.window.windowSeconds;
      throw new RateLimited(`Too many ${k.what}. Try again in ${minutes(retry)}.`, retry);
    }
  }
}

/**
 * Counts first, then decides: parallel requests each get their own number from INCR, so no
 * more than `limit` of them pass, however many arrive at once (a check-then-count would let a
 * burst through before the first count lands).
 */
export async function take(keys: { key: string; window: Window; what: string }[]): Promise<void> {
  for (const k of keys) {
    const count = await hit(k.key, k.window);
    if (count > k.window.limit) {
      const ttl = await redis().ttl(k.key);
      const retry = ttl > 0 ? ttl : k.window.windowSeconds;
      throw new RateLimited(`Too many ${k.what}. Try again in ${minutes(retry)}.`, retry);
    }
  }
}

export async function hit(key: string, window: Window): Promise<number> {
  const [[, count]] = (await redis().multi().incr(key).expire(key, window.windowSeconds, "NX").exec()) as [[unknown, number], unknown];
  return count;
}

export async function clear(key: string): Promise<void> {
  await redis().del(key);
}

/**
 * A counter cannot carry a MAC (INCR must stay atomic), so the names are keyed instead: an
 * HMAC (AUTH_SECRET) of the account or address. Whoever can read or write Redis cannot tell
 * whose bucket is whose, so cannot lock one account out or clear one account's failures (nor
 * harvest emails); they could only drop every counter, which the probe ACL (ADR 5) prevents.
 */
const named = (what: string, id: string) => `throttle:${what}:${hashToken(`throttle:${what}:${id}`)}`;
export const throttleKeys = {
  signInAccount: (email: string) => named("signin:acct", email),
  signInIp: (ip: string) => named("signin:ip", ip),
  resetAccount: (email: string) => named("reset:acct", email),
  resetIp: (ip: string) => named("reset:ip", ip),
  signUpAddress: (email: string) => named("signup:addr", email),
  signUpIp: (ip: string) => named("signup:ip", ip),
  confirmMail: (userId: string) => named("confirm:acct", userId),
};
