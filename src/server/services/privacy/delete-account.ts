import type { RequestMeta } from "../../context";
import { parseInput } from "../../lib/parse";
import { deleteAccountSchema } from "../../validation/privacy";
import { eraseAccount, type AccountDeletion } from "./internal";

/**
 * "Delete my account": confirmed with the password (or a 2FA code when 2FA is on). Signs out
 * everywhere at once, mails a restore link valid for ERASURE_GRACE_DAYS; organizations the
 * user is the only member of are deleted with it.
 */
export async function deleteAccount({ userId, input, meta }: { userId: string; input: unknown; meta: RequestMeta }): Promise<AccountDeletion> {
  return eraseAccount({ userId, meta, input: parseInput(deleteAccountSchema, input) });
}
