import type { LookupAddress, LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { performance } from "node:perf_hooks";
import tls, { type TLSSocket } from "node:tls";
import { guardedLookup } from "../ssrf";
import type { CertificateInfo, ExecOptions, Timings } from "../types";

const DAY_MS = 86_400_000;

/** What a check was doing when its time ran out, for "No answer … (while connecting)". */
export type Phase = "while resolving" | "while connecting" | "during the TLS handshake" | "while waiting for the response" | "while reading the body";

export function timeoutMessage(target: string, timeoutMs: number, phase: Phase): string {
  return `No answer from ${target} within ${timeoutMs} ms (${phase})`;
}

/**
 * Phase timestamps of one connection, as offsets from the start of the whole check. Durations
 * are differences of the rounded offsets, so the phases of a check always add up to at most
 * its rounded total (no rounding drift in the stacked chart).
 */
export class PhaseClock {
  readonly marks: { start: number; lookup?: number; connect?: number; secure?: number; response?: number };
  constructor(private readonly origin: number) {
    this.marks = { start: this.at() };
  }
  at(): number {
    return Math.round(performance.now() - this.origin);
  }
  mark(k: "lookup" | "connect" | "secure" | "response"): void {
    this.marks[k] ??= this.at();
  }
  durations(): Omit<Timings, "totalMs"> {
    const m = this.marks;
    const out: Omit<Timings, "totalMs"> = {};
    if (m.lookup !== undefined) out.dnsMs = m.lookup - m.start;
    if (m.connect !== undefined) out.connectMs = m.connect - (m.lookup ?? m.start);
    if (m.secure !== undefined && m.connect !== undefined) out.tlsMs = m.secure - m.connect;
    if (m.response !== undefined) out.ttfbMs = m.response - (m.secure ?? m.connect ?? m.lookup ?? m.start);
    return out;
  }
}

/** Adds each phase of `b` to `a` (redirect hops are sequential, so sums stay within the total). */
export function addPhases(a: Omit<Timings, "totalMs">, b: Omit<Timings, "totalMs">): Omit<Timings, "totalMs"> {
  const out = { ...a };
  for (const k of ["dnsMs", "connectMs", "tlsMs", "ttfbMs"] as const) if (b[k] !== undefined) out[k] = (out[k] ?? 0) + b[k];
  return out;
}

/**
 * The SSRF guard's lookup, timed: the moment DNS answers is taken inside the callback rather
 * than from the socket's "lookup" event, which a listener attached late could miss.
 */
export function timedGuardedLookup(opts: Pick<ExecOptions, "allowPrivate" | "resolve">, onResolved: () => void): LookupFunction {
  const guard = guardedLookup({ allowPrivate: opts.allowPrivate, resolve: opts.resolve });
  return ((hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) =>
    guard(hostname, options, (err, address, family) => {
      if (!err) onResolved();
      callback(err, address, family);
    })) as LookupFunction;
}

/** Trust store for a check: the system roots plus any extra CA (tests, private PKI). */
export function trustedCas(opts: ExecOptions): string[] | undefined {
  return opts.ca ? [...tls.rootCertificates, ...[opts.ca].flat()] : undefined;
}

export function certificateInfo(socket: TLSSocket, now: number): CertificateInfo | undefined {
  const c = socket.getPeerCertificate?.();
  if (!c || !c.valid_to) return undefined;
  const validTo = new Date(c.valid_to);
  const name = (x: unknown) => {
    const v = (x as { CN?: string | string[]; O?: string | string[] } | undefined) ?? {};
    const pick = v.CN ?? v.O ?? "";
    return Array.isArray(pick) ? pick.join(", ") : pick;
  };
  const authError = socket.authorizationError as unknown;
  return {
    subject: name(c.subject),
    issuer: name(c.issuer),
    validFrom: new Date(c.valid_from).toISOString(),
    validTo: validTo.toISOString(),
    daysRemaining: Math.floor((validTo.getTime() - now) / DAY_MS),
    authorized: socket.authorized,
    ...(authError ? { authorizationError: String(authError) } : {}),
  };
}

export function stripBrackets(host: string): string {
  return host.replace(/^\[|\]$/g, "");
}
