import { ERROR_CLASSES, type CheckResult } from "../checks/types";

/** A check's outcome and error class packed into one smallint column: outcome * 16 + error class. */
const OUTCOME = { up: 0, degraded: 1, down: 2 } as const;
const errorClassCode = (c: CheckResult["errorClass"]) => (c ? ERROR_CLASSES.indexOf(c) + 1 : 0);

export const resultCode = (r: Pick<CheckResult, "outcome" | "errorClass">) => OUTCOME[r.outcome] * 16 + errorClassCode(r.errorClass);

export function decodeResultCode(code: number): { outcome: CheckResult["outcome"]; errorClass: NonNullable<CheckResult["errorClass"]> | null } {
  const outcome = (["up", "degraded", "down"] as const)[Math.floor(code / 16)] ?? "down";
  const e = code % 16;
  return { outcome, errorClass: e ? (ERROR_CLASSES[e - 1] ?? null) : null };
}
