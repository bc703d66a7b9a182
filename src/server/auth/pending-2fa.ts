import { redis } from "../redis";
import { hashToken, randomToken } from "../lib/crypto";
import { verifiedValue, withMac } from "./redis-mac";

/** A sign-in that passed the password and waits for its second factor. */
export type Pending2fa = { userId: string; attempts: number };

export const PENDING_2FA_COOKIE = "perigee_2fa";
export const PENDING_2FA_TTL_SECONDS = 10 * 60;
export const PENDING_2FA_MAX_ATTEMPTS = 5;

const key = (token: string) => `signin2fa:${hashToken(token)}`;
// The entry names the user who passed the password: it carries a MAC (redis-mac.ts), so an
// entry planted or edited by whoever can write Redis signs no one in.
const sealed = (k: string, p: Pending2fa) => withMac(k, JSON.stringify(p));

export async function createPending2fa(userId: string): Promise<string> {
  const token = randomToken(32);
  const k = key(token);
  await redis().set(k, sealed(k, { userId, attempts: 0 }), "EX", PENDING_2FA_TTL_SECONDS);
  return token;
}

export async function getPending2fa(token: string): Promise<Pending2fa | null> {
  if (!token || token.length > 100) return null;
  const k = key(token);
  const value = verifiedValue(k, await redis().get(k));
  return value ? (JSON.parse(value) as Pending2fa) : null;
}

/** Counts a wrong code; returns attempts left (0 means the pending sign-in is gone). */
export async function failPending2fa(token: string): Promise<number> {
  const k = key(token);
  const p = await getPending2fa(token);
  if (!p) return 0;
  const attempts = p.attempts + 1;
  if (attempts >= PENDING_2FA_MAX_ATTEMPTS) {
    await redis().del(k);
    return 0;
  }
  await redis().set(k, sealed(k, { ...p, attempts }), "KEEPTTL");
  return PENDING_2FA_MAX_ATTEMPTS - attempts;
}

export async function consumePending2fa(token: string): Promise<void> {
  await redis().del(key(token));
}
