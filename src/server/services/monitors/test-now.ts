import { randomUUID } from "node:crypto";
import type { Ctx } from "../../context";
import { env } from "../../env";
import { requirePermission } from "../../auth/permissions";
import { runCheck } from "../../checks/run-check";
import type { CheckResult } from "../../checks/types";
import { Invalid } from "../../errors";
import { assertNotThrottled, hit } from "../../auth/throttle";
import { sealSecrets, secretFieldsOf, splitConfig, toExecutable, toInput } from "../../monitors/config";
import { assertTargetsAllowed } from "../../monitors/targets";
import { parseMonitorInput } from "../../monitors/schema";
import { db } from "../../db/client";
import { getMonitorOrThrow } from "./internal";

const TEST_LIMIT = { limit: 20, windowSeconds: 60 };

/**
 * "Test now": runs the check once from the web process with the unsaved form values and
 * returns the result; nothing is stored. Editing an existing monitor, masked secrets fall
 * back to the stored ones. Throttled per organization: it makes outbound requests.
 */
export async function testMonitorNow({ ctx, input, monitorId }: { ctx: Ctx; input: Record<string, unknown>; monitorId?: string }): Promise<CheckResult> {
  requirePermission(ctx, "monitors:write");
  const key = `throttle:testnow:${ctx.org.id}`;
  await assertNotThrottled([{ key, window: TEST_LIMIT, what: "test checks for this organization" }]);
  let merged = input;
  if (monitorId) {
    const base = toInput(await getMonitorOrThrow(db(), ctx.org.id, monitorId));
    merged = { ...base, ...input };
    for (const f of secretFieldsOf(String(base.type))) if (!input[f] || input[f] === "••••••") merged[f] = base[f];
  }
  const d = parseMonitorInput(merged);
  if (d.type === "heartbeat") throw new Invalid("Heartbeat monitors are checked by pings from your job, not by Perigee; there is nothing to test.");
  assertTargetsAllowed(d);
  await hit(key, TEST_LIMIT);
  const id = randomUUID();
  const { config, secrets } = splitConfig(d);
  const exec = toExecutable({ id, type: d.type, config, secretsEnc: sealSecrets(id, secrets), timeoutMs: d.timeoutMs });
  return runCheck(exec!, { allowPrivate: env().ALLOW_PRIVATE_TARGETS });
}
