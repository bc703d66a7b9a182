import { log } from "../log";
import { kindOf, targetOf } from "../monitors/kinds";
import { classifyError } from "./executors/errors";
import type { CheckResult, ExecOptions, ExecutableConfig } from "./types";

// Each executor enforces the monitor's timeout itself; this backstop only guarantees that a
// bug there cannot leave a check (and the worker slot running it) pending forever.
const BACKSTOP_GRACE_MS = 2_000;
const BACKSTOP_FALLBACK_MS = 60_000;
const BACKSTOP_MAX_MS = 600_000;

function dispatch(config: ExecutableConfig, opts: ExecOptions): Promise<CheckResult> {
  const check = kindOf(config.type)?.check;
  if (!check) return Promise.resolve({ outcome: "down", errorClass: "internal", message: "Unknown monitor type", timings: { totalMs: 0 } });
  // The registry pairs each type with its own executor.
  return check.execute(config, opts);
}

/**
 * Runs one check and never throws (nor hangs): anything unexpected becomes a DOWN result,
 * classified when the error is a known network failure and "internal" otherwise, so a broken
 * check cannot take the worker down with it.
 */
export async function runCheck(config: ExecutableConfig, opts: ExecOptions): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const t = Number(config?.timeoutMs);
    const limit = (Number.isFinite(t) && t > 0 ? Math.min(t, BACKSTOP_MAX_MS) : BACKSTOP_FALLBACK_MS) + BACKSTOP_GRACE_MS;
    const backstop = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(() => {
        log.error("check executor did not settle", { type: config?.type });
        resolve({ outcome: "down", errorClass: "timeout", message: `The check did not finish within ${limit} ms`, timings: { totalMs: Date.now() - started } });
      }, limit);
    });
    return await Promise.race([dispatch(config, opts), backstop]);
  } catch (e) {
    const c = classifyError(e, (config && typeof config === "object" ? targetOf(config.type, config as unknown as Record<string, unknown>) : null) ?? "the target");
    // Only the type and the error's name/code: configs and messages may hold credentials.
    if (c.errorClass === "internal") log.error("check executor threw", { type: config?.type, error: (e as Error)?.name, errno: (e as NodeJS.ErrnoException)?.code });
    return { outcome: "down", errorClass: c.errorClass, message: c.message, timings: { totalMs: Date.now() - started } };
  } finally {
    clearTimeout(timer);
  }
}
