import net from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { assertConnectable } from "../ssrf";
import type { CheckResult, Executor, SslConfig } from "../types";
import { classifyError, describeTlsCode } from "./errors";
import { certificateInfo, type Phase, PhaseClock, stripBrackets, timedGuardedLookup, timeoutMessage, trustedCas } from "./shared";

/**
 * Certificate check: chain trusted, hostname matches, and enough days before expiry.
 * The handshake accepts any certificate so that an untrusted or expired one can still be
 * described; the verdict is made here, in this order:
 *   expired → "ssl_expiry" ("expired N days ago"), whatever else is wrong with it, because
 *             that is the fix the owner needs to make first;
 *   not yet valid, hostname mismatch, untrusted chain → "tls";
 *   fewer than expiryThresholdDays left → "ssl_expiry".
 */
export const sslExecutor: Executor<SslConfig> = (cfg, opts) =>
  new Promise<CheckResult>((resolve) => {
    const clock = new PhaseClock(performance.now());
    const host = stripBrackets(cfg.host);
    const port = cfg.port || 443;
    const servername = cfg.servername || (net.isIP(host) ? undefined : host);
    const target = net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
    let phase: Phase = net.isIP(host) ? "while connecting" : "while resolving";
    let socket: tls.TLSSocket | undefined;
    let settled = false;
    const settle = (r: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(r);
    };
    const timings = () => ({ ...clock.durations(), totalMs: clock.at() });
    const timer = setTimeout(() => settle({ outcome: "down", errorClass: "timeout", message: timeoutMessage(target, cfg.timeoutMs, phase), timings: timings() }), cfg.timeoutMs);
    const fail = (e: unknown) => settle({ outcome: "down", ...classifyError(e, target), timings: timings() });
    try {
      assertConnectable(host, opts.allowPrivate);
      const lookup = timedGuardedLookup(opts, () => {
        clock.mark("lookup");
        phase = "while connecting";
      });
      socket = tls.connect({ host, port, servername, rejectUnauthorized: false, ca: trustedCas(opts), lookup });
    } catch (e) {
      return fail(e);
    }
    const s = socket;
    s.on("connect", () => {
      clock.mark("connect");
      phase = "during the TLS handshake";
    });
    s.on("secureConnect", () => {
      clock.mark("secure");
      const now = (opts.now ?? Date.now)();
      const cert = certificateInfo(s, now);
      const peer = s.getPeerCertificate();
      const base = { timings: timings(), ...(s.remoteAddress ? { remoteAddress: s.remoteAddress } : {}) };
      if (!cert) return settle({ ...base, outcome: "down", errorClass: "tls", message: `${target} presented no certificate` });
      const down = (errorClass: "tls" | "ssl_expiry", message: string) => settle({ ...base, certificate: cert, outcome: "down", errorClass, message });
      const validTo = new Date(cert.validTo).getTime();
      if (validTo < now) {
        const days = Math.floor((now - validTo) / 86_400_000);
        const ago = days === 0 ? "less than a day" : `${days} day${days === 1 ? "" : "s"}`;
        return down("ssl_expiry", `Certificate for ${cert.subject || host} expired ${ago} ago (${cert.validTo.slice(0, 10)})`);
      }
      if (new Date(cert.validFrom).getTime() > now) return down("tls", `Certificate for ${cert.subject || host} is not valid before ${cert.validFrom}`);
      const mismatch = tls.checkServerIdentity(servername ?? host, peer);
      if (mismatch) return down("tls", `Hostname mismatch: ${servername ?? host} is not in the certificate's altnames (${peer.subjectaltname ?? `CN=${cert.subject}`})`);
      if (!s.authorized) return down("tls", `Certificate is not trusted: ${describeTlsCode(String(s.authorizationError as unknown))}`);
      if (cert.daysRemaining < cfg.expiryThresholdDays) {
        return down("ssl_expiry", `Certificate for ${cert.subject || host} expires in ${cert.daysRemaining} days (${cert.validTo.slice(0, 10)}), under the ${cfg.expiryThresholdDays}-day threshold`);
      }
      settle({ ...base, certificate: cert, outcome: "up" });
    });
    s.on("error", fail);
  });
