import net from "node:net";
import { performance } from "node:perf_hooks";
import { assertConnectable, guardedLookup } from "../ssrf";
import type { Executor, TcpConfig } from "../types";
import { classifyError } from "./errors";

/** UP when a TCP connection opens within the timeout. */
export const tcpExecutor: Executor<TcpConfig> = (cfg, opts) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const target = `${cfg.host}:${cfg.port}`;
    let lookupAt: number | undefined;
    let phase = net.isIP(cfg.host) ? "connecting" : "resolving";
    try {
      assertConnectable(cfg.host, opts.allowPrivate);
    } catch (e) {
      const { errorClass, message } = classifyError(e, target);
      return resolve({ outcome: "down", errorClass, message, timings: { totalMs: 0 } });
    }
    const socket = net.connect({ host: cfg.host.replace(/^\[|\]$/g, ""), port: cfg.port, lookup: guardedLookup({ allowPrivate: opts.allowPrivate, resolve: opts.resolve }) });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ outcome: "down", errorClass: "timeout", message: `No answer from ${target} within ${cfg.timeoutMs} ms (${phase})`, timings: { totalMs: Math.round(performance.now() - t0) } });
    }, cfg.timeoutMs);
    socket.on("lookup", (err) => {
      if (!err) {
        lookupAt = performance.now();
        phase = "connecting";
      }
    });
    socket.on("connect", () => {
      clearTimeout(timer);
      const now = performance.now();
      const totalMs = Math.round(now - t0);
      const timings = { ...(lookupAt !== undefined ? { dnsMs: Math.round(lookupAt - t0) } : {}), connectMs: Math.round(now - (lookupAt ?? t0)), totalMs };
      const remoteAddress = socket.remoteAddress;
      socket.destroy();
      if (cfg.degradedAboveMs && totalMs > cfg.degradedAboveMs) {
        return resolve({ outcome: "degraded", message: `Connected in ${totalMs} ms, above the ${cfg.degradedAboveMs} ms threshold`, timings, remoteAddress });
      }
      resolve({ outcome: "up", timings, remoteAddress });
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      const { errorClass, message } = classifyError(e, target);
      resolve({ outcome: "down", errorClass, message, timings: { totalMs: Math.round(performance.now() - t0) } });
    });
  });
