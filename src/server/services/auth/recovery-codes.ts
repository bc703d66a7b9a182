import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { recoveryCodes } from "../../db/schema";
import { hashToken } from "../../lib/crypto";

const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** Ten fresh one-time codes "xxxxx-xxxxx"; only their keyed hashes are stored. Replaces any old ones. */
export async function issueRecoveryCodes(tx: DbOrTx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: 10 }, () => {
    const b = randomBytes(10);
    const s = Array.from(b, (x) => ALPHABET[x % ALPHABET.length]).join("");
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashToken(normalise(c)) })));
  return codes;
}

export function normalise(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

/** Marks an unused recovery code as used; true if it was valid. Conditional, so it works once. */
export async function redeemRecoveryCode(tx: DbOrTx, userId: string, code: string): Promise<boolean> {
  const r = await tx
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashToken(normalise(code))), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return r.length === 1;
}
