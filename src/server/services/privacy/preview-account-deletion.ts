import { eq } from "drizzle-orm";
import { db } from "../../db/client";
import { users } from "../../db/schema";
import { env } from "../../env";
import { NotFound } from "../../errors";
import { membershipsOf } from "./internal";

/** What "Delete my account" would do, for the confirmation: organizations deleted with it, those that block it, how to confirm. */
export async function previewAccountDeletion({ userId }: { userId: string }) {
  const [u] = await db().select({ totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId));
  if (!u) throw new NotFound("Account not found.");
  const { sole, blocking } = await membershipsOf(db(), userId);
  return { deletedWith: sole, blockedBy: blocking, twoFactor: u.totpEnabledAt !== null, graceDays: env().ERASURE_GRACE_DAYS };
}
