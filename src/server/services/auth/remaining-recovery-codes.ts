import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { recoveryCodes } from "../../db/schema";

export async function remainingRecoveryCodes({ userId }: { userId: string }): Promise<number> {
  const rows = await db().select({ usedAt: recoveryCodes.usedAt }).from(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  return rows.filter((r) => !r.usedAt).length;
}
