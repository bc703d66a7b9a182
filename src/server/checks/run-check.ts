import { log } from "../log";
import { dnsExecutor } from "./executors/dns";
import { classifyError } from "./executors/errors";
import { httpExecutor } from "./executors/http";
import { sslExecutor } from "./executors/ssl";
import { tcpExecutor } from "./executors/tcp";
import type { CheckResult, ExecOptions, ExecutableConfig } from "./types";

/**
 * Runs one check and never throws: anything unexpected becomes a DOWN result of class
 * "internal", so a broken check cannot take the worker down with it.
 */
export async function runCheck(config: ExecutableConfig, opts: ExecOptions): Promise<CheckResult> {
  try {
    switch (config.type) {
      case "http":
        return await httpExecutor(config, opts);
      case "tcp":
        return await tcpExecutor(config, opts);
      case "ssl":
        return await sslExecutor(config, opts);
      case "dns":
        return await dnsExecutor(config, opts);
      default:
        return { outcome: "down", errorClass: "internal", message: "Unknown monitor type", timings: { totalMs: 0 } };
    }
  } catch (e) {
    const c = classifyError(e, "target");
    if (c.errorClass === "internal") log.error("check executor threw", { type: (config as { type?: string })?.type, err: (e as Error)?.message });
    return { outcome: "down", errorClass: c.errorClass, message: c.message, timings: { totalMs: 0 } };
  }
}
