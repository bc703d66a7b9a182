import net from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { assertConnectable, guardedLookup } from "../ssrf";
import type { Executor, SslConfig } from "../types";
import { classifyError } from "./errors";
import { certificateInfo } from "./http";

/**
 * Certificate check: chain trusted, hostname matches, and days to expiry above the threshold.
 * The handshake accepts any certificate so an untrusted or expired one can still be described;
 * the verdict is made here. An expired certificate is "ssl_expiry" ("expired N days ago").
 */
export const sslExecutor: Executor<SslConfig> = (cfg, opts) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const host = cfg.host.replace(/^\[|\]$/g, "");
    const servername = cfg.servername ?? (net.isIP(host) ? undefined : host);
    const target = `${cfg.host}:${cfg.port}`;
    try {
      assertConnectable(cfg.host, opts.allowPrivate);
    } catch (e) {
      const { errorClass, message } = classifyError(e, target);
      return resolve({ outcome: "down", errorClass, message, timings: { totalMs: 0 } });
    }
    let lookupAt: number | undefined;
    let connectAt: number | undefined;
    const socket = tls.connect({
      host,
      port: cfg.port,
      servername,
      rejectUnauthorized: false,
      ca: opts.ca ? [...tls.rootCertificates, ...[opts.ca].flat()] : undefined,
      lookup: guardedLookup({ allowPrivate: opts.allowPrivate, resolve: opts.resolve }),
    });
    const total = () => Math.round(performance.now() - t0);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ outcome: "down", errorClass: "timeout", message: `No TLS handshake with ${target} within ${cfg.timeoutMs} ms`, timings: { totalMs: total() } });
    }, cfg.timeoutMs);
    socket.on("lookup", () => (lookupAt = performance.now()));
    socket.on("connect", () => (connectAt = performance.now()));
    socket.on("secureConnect", () => {
      clearTimeout(timer);
      const done = performance.now();
      const now = (opts.now ?? Date.now)();
      const cert = certificateInfo(socket, now);
      const peer = socket.getPeerCertificate();
      socket.end();
      const timings = {
        ...(lookupAt !== undefined ? { dnsMs: Math.round(lookupAt - t0) } : {}),
        ...(connectAt !== undefined ? { connectMs: Math.round(connectAt - (lookupAt ?? t0)), tlsMs: Math.round(done - connectAt) } : {}),
        totalMs: total(),
      };
      if (!cert) return resolve({ outcome: "down", errorClass: "tls", message: `${target} presented no certificate`, timings });
      const base = { certificate: cert, timings, remoteAddress: socket.remoteAddress };
      if (cert.daysRemaining < 0 || new Date(cert.validTo).getTime() < now) {
        return resolve({ ...base, outcome: "down", errorClass: "ssl_expiry", message: `Certificate expired ${Math.abs(cert.daysRemaining)} days ago (${cert.validTo.slice(0, 10)})` });
      }
      if (new Date(cert.validFrom).getTime() > now) {
        return resolve({ ...base, outcome: "down", errorClass: "tls", message: `Certificate is not valid before ${cert.validFrom}` });
      }
      const identity = servername ?? host;
      const mismatch = tls.checkServerIdentity(identity, peer);
      if (mismatch) return resolve({ ...base, outcome: "down", errorClass: "tls", message: `Hostname mismatch: ${mismatch.message}` });
      if (!socket.authorized) {
        return resolve({ ...base, outcome: "down", errorClass: "tls", message: `Certificate is not trusted: ${String(socket.authorizationError)}` });
      }
      if (cert.daysRemaining < cfg.expiryThresholdDays) {
        return resolve({ ...base, outcome: "down", errorClass: "ssl_expiry", message: `Certificate expires in ${cert.daysRemaining} days (${cert.validTo.slice(0, 10)}), under the ${cfg.expiryThresholdDays}-day threshold` });
      }
      resolve({ ...base, outcome: "up" });
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      const { errorClass, message } = classifyError(e, target);
      resolve({ outcome: "down", errorClass, message, timings: { totalMs: total() } });
    });
  });
