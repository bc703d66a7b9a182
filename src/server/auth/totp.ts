import { and, eq, isNull, lt, or } from "drizzle-orm";
import { generate, generateSecret, generateURI } from "otplib";
import type { DbOrTx } from "../db/client";
import { users } from "../db/schema";
import { decrypt, encrypt } from "../lib/crypto";

export const TOTP_PERIOD = 30;
const totpAad = (userId: string) => `user:${userId}:totp`;

export function newTotpSecret(): string {
  return generateSecret();
}

export function sealTotpSecret(userId: string, secret: string): string {
  return encrypt(secret, totpAad(userId));
}

export function openTotpSecret(userId: string, sealed: string): string {
  return decrypt(sealed, totpAad(userId));
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: "Perigee", label: email, secret });
}

/**
 * The time step a 6-digit code belongs to, accepting one step of clock drift either way,
 * or null. Only steps after `lastStep` count: a code is usable once.
 */
export async function matchTotpStep(secret: string, code: string, lastStep: number | null, nowMs = Date.now()): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const current = Math.floor(nowMs / 1000 / TOTP_PERIOD);
  for (const step of [current - 1, current, current + 1]) {
    if (lastStep !== null && step <= lastStep) continue;
    if ((await generate({ secret, epoch: step * TOTP_PERIOD })) === code) return step;
  }
  return null;
}

/**
 * Records a used step with a conditional update, so two concurrent requests with the same
 * code cannot both succeed. Returns false if another request used it (or a later one) first.
 */
export async function claimTotpStep(tx: DbOrTx, userId: string, step: number): Promise<boolean> {
  const r = await tx
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return r.length === 1;
}
