import net from "node:net";
import { performance } from "node:perf_hooks";
import { assertConnectable } from "../ssrf";
import type { CheckResult, Executor, TcpConfig } from "../types";
import { classifyError } from "./errors";
import { type Phase, PhaseClock, stripBrackets, timedGuardedLookup, timeoutMessage } from "./shared";

/** UP when a TCP connection opens within the timeout; the connection is closed at once. */
export const tcpExecutor: Executor<TcpConfig> = (cfg, opts) =>
  new Promise<CheckResult>((resolve) => {
    const origin = performance.now();
    const clock = new PhaseClock(origin);
    const host = stripBrackets(cfg.host);
    const target = net.isIPv6(host) ? `[${host}]:${cfg.port}` : `${host}:${cfg.port}`;
    let phase: Phase = net.isIP(host) ? "while connecting" : "while resolving";
    let settled = false;
    const settle = (r: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(r);
    };
    let socket: net.Socket | undefined;
    const timer = setTimeout(
      () => settle({ outcome: "down", errorClass: "timeout", message: timeoutMessage(target, cfg.timeoutMs, phase), timings: { ...clock.durations(), totalMs: clock.at() } }),
      cfg.timeoutMs,
    );
    const fail = (e: unknown) => settle({ outcome: "down", ...classifyError(e, target), timings: { ...clock.durations(), totalMs: clock.at() } });
    try {
      assertConnectable(host, opts.allowPrivate);
      const lookup = timedGuardedLookup(opts, () => {
        clock.mark("lookup");
        phase = "while connecting";
      });
      socket = net.connect({ host, port: cfg.port, lookup });
    } catch (e) {
      return fail(e);
    }
    socket.on("connect", () => {
      clock.mark("connect");
      const timings = { ...clock.durations(), totalMs: clock.at() };
      const remoteAddress = socket?.remoteAddress;
      const base = { timings, ...(remoteAddress ? { remoteAddress } : {}) };
      if (cfg.degradedAboveMs && timings.totalMs > cfg.degradedAboveMs) {
        return settle({ ...base, outcome: "degraded", message: `Connected in ${timings.totalMs} ms, above the ${cfg.degradedAboveMs} ms threshold` });
      }
      settle({ ...base, outcome: "up" });
    });
    socket.on("error", fail);
  });
