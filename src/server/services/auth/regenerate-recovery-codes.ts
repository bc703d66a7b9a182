import { db } from "../../db/client";
import type { RequestMeta } from "../../context";
import { Conflict, Invalid } from "../../errors";
import { parseInput } from "../../lib/parse";
import { confirmTwoFactorSchema } from "../../validation/two-factor";
import { recordAudit } from "../audit/record";
import { issueRecoveryCodes } from "./recovery-codes";
import { BAD_CODE, loadUser, checkSecondFactor } from "./two-factor";

export async function regenerateRecoveryCodes({ userId, input, meta }: { userId: string; input: unknown; meta: RequestMeta }) {
  const { code } = parseInput(confirmTwoFactorSchema, input);
  return db().transaction(async (tx) => {
    const u = await loadUser(tx, userId);
    if (!u.totpEnabledAt) throw new Conflict("Turn on two-factor authentication first.");
    if ((await checkSecondFactor(tx, u, code)) !== "totp") throw new Invalid(BAD_CODE, { code: [BAD_CODE] });
    const codes = await issueRecoveryCodes(tx, u.id);
    await recordAudit(tx, { organizationId: null, actorUserId: u.id, action: "auth.recovery_codes_regenerated", meta });
    return { recoveryCodes: codes };
  });
}
