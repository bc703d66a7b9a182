import http from "node:http";
import https from "node:https";
import net from "node:net";
import { performance } from "node:perf_hooks";
import type { TLSSocket } from "node:tls";
import { assertConnectable } from "../ssrf";
import type { CertificateInfo, CheckResult, ExecOptions, Executor, HttpConfig, StatusRange, Timings } from "../types";
import { CheckFailure, classifyError } from "./errors";
import { describeValue, evaluateJsonPath, jsonContains, jsonEquals, parseJsonPath } from "./json-path";
import { addPhases, certificateInfo, type Phase, PhaseClock, stripBrackets, timedGuardedLookup, timeoutMessage, trustedCas } from "./shared";

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;
const DEFAULT_STATUS: StatusRange[] = [{ from: 200, to: 299 }];
// Headers that carry credentials: sent to the monitor's own origin only, never to a redirect target elsewhere.
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

type Hop = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  certificate?: CertificateInfo;
  remoteAddress?: string;
};

type HopRequest = { url: URL; method: string; headers: Record<string, string>; body?: string; allowPrivate: boolean };

/** One request/response. `clock` is the caller's, so a failed hop still reports the phases it got through. */
function requestOnce(req: HopRequest, clock: PhaseClock, deadline: number, opts: ExecOptions): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const { url } = req;
    const isHttps = url.protocol === "https:";
    const hostname = stripBrackets(url.hostname);
    let phase: Phase = net.isIP(hostname) ? "while connecting" : "while resolving";
    let certificate: CertificateInfo | undefined;
    let remoteAddress: string | undefined;
    const lookup = timedGuardedLookup({ allowPrivate: req.allowPrivate, resolve: opts.resolve }, () => {
      clock.mark("lookup");
      phase = "while connecting";
    });
    const r = (isHttps ? https : http).request(url, {
      method: req.method,
      headers: req.headers,
      agent: false, // a fresh connection per check, so every phase is really measured
      lookup,
      ...(isHttps ? { ca: trustedCas(opts), servername: net.isIP(hostname) ? undefined : hostname, rejectUnauthorized: true } : {}),
    });
    // One deadline for the whole check (every hop: DNS, connect, TLS, headers and body).
    let timedOut: Error | undefined;
    const timer = setTimeout(
      () => {
        timedOut = Object.assign(new Error("check timed out"), { code: "ETIMEDOUT", phase });
        r.destroy(timedOut);
      },
      Math.max(1, deadline - performance.now()),
    );
    r.on("response", (res) => {
      clock.mark("response");
      phase = "while reading the body";
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated, certificate, remoteAddress });
      };
      res.on("data", (chunk: Buffer) => {
        if (truncated) return;
        const room = MAX_BODY_BYTES - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = MAX_BODY_BYTES;
          truncated = true;
          // Enough read: stop downloading the rest instead of waiting for it.
          finish();
          res.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      res.on("end", finish);
      res.on("error", (e) => (truncated ? finish() : reject(timedOut ?? e)));
      // A connection closed mid-body must settle too, whichever of error/close comes first.
      res.on("close", () => {
        if (settled) return;
        if (res.complete) return finish();
        clearTimeout(timer);
        reject(timedOut ?? Object.assign(new Error("connection closed before the body ended"), { code: "ECONNRESET" }));
      });
    });
    r.on("socket", (socket) => {
      socket.on("connect", () => {
        clock.mark("connect");
        remoteAddress = socket.remoteAddress;
        phase = isHttps ? "during the TLS handshake" : "while waiting for the response";
      });
      socket.on("secureConnect", () => {
        clock.mark("secure");
        phase = "while waiting for the response";
        certificate = certificateInfo(socket as TLSSocket, (opts.now ?? Date.now)());
      });
    });
    r.on("error", (e) => {
      clearTimeout(timer);
      reject(timedOut ?? e);
    });
    r.end(req.body);
  });
}

function statusMatches(status: number, expected: StatusRange[]): boolean {
  return expected.some((e) => (typeof e === "number" ? e === status : status >= e.from && status <= e.to));
}

export function describeStatus(expected: StatusRange[]): string {
  return expected.map((e) => (typeof e === "number" ? String(e) : `${e.from}-${e.to}`)).join(", ");
}

function authHeader(cfg: HttpConfig): Record<string, string> {
  if (cfg.auth?.kind === "basic") return { authorization: `Basic ${Buffer.from(`${cfg.auth.username}:${cfg.auth.password}`).toString("base64")}` };
  if (cfg.auth?.kind === "bearer") return { authorization: `Bearer ${cfg.auth.token}` };
  return {};
}

function hopHeaders(cfg: HttpConfig, sameOrigin: boolean, body: string | undefined): Record<string, string> {
  const out: Record<string, string> = { "user-agent": "Perigee/1.0 (+uptime monitoring)", accept: "*/*" };
  const set = (k: string, v: string) => {
    for (const existing of Object.keys(out)) if (existing.toLowerCase() === k.toLowerCase()) delete out[existing];
    out[k] = v;
  };
  for (const [k, v] of Object.entries(cfg.headers ?? {})) if (sameOrigin || !CREDENTIAL_HEADERS.has(k.toLowerCase())) set(k, v);
  if (sameOrigin) for (const [k, v] of Object.entries(authHeader(cfg))) set(k, v);
  // Most monitored POST/PUT endpoints are JSON APIs; a configured Content-Type wins.
  if (body !== undefined && !Object.keys(out).some((h) => h.toLowerCase() === "content-type")) out["content-type"] = "application/json";
  return out;
}

/** The certificate that expires first among the hops: the one that will break this monitor first. */
function soonest(a: CertificateInfo | undefined, b: CertificateInfo | undefined): CertificateInfo | undefined {
  if (!a || !b) return a ?? b;
  return b.validTo < a.validTo ? b : a;
}

export const httpExecutor: Executor<HttpConfig> = (cfg, opts) => checkHttp(cfg, opts);

/**
 * The HTTP(S) check. `allowPrivateOnHop` decides the SSRF policy per hop (0 is the monitor's own
 * URL); production uses `opts.allowPrivate` for every hop. It exists so a hermetic test can
 * stand in for a public first hop (which would need the internet) and prove that every later
 * hop is guarded on its own.
 */
export async function checkHttp(cfg: HttpConfig, opts: ExecOptions, allowPrivateOnHop: (hop: number) => boolean = () => opts.allowPrivate): Promise<CheckResult> {
  const start = performance.now();
  const deadline = start + cfg.timeoutMs;
  const total = () => Math.round(performance.now() - start);
  let first: URL;
  try {
    first = new URL(cfg.url);
  } catch {
    // The URL itself is not echoed: it may carry credentials.
    throw new CheckFailure("internal", "The monitor's URL is not a valid URL");
  }
  if (first.protocol !== "http:" && first.protocol !== "https:") throw new CheckFailure("internal", `Unsupported URL scheme ${first.protocol}`);
  let url = first;
  let method: string = cfg.method;
  let body = method === "GET" || method === "HEAD" ? undefined : cfg.body;
  let phases: Omit<Timings, "totalMs"> = {};
  let certificate: CertificateInfo | undefined;
  let hop: Hop | undefined;
  let clock: PhaseClock | undefined;
  try {
    for (let redirects = 0; ; redirects++) {
      const allowPrivate = allowPrivateOnHop(redirects);
      // Node skips `lookup` for IP literals, so literals are checked here before every hop.
      assertConnectable(url.hostname, allowPrivate);
      const headers = hopHeaders(cfg, url.origin === first.origin, body);
      clock = new PhaseClock(start);
      hop = await requestOnce({ url, method, headers, body, allowPrivate }, clock, deadline, opts);
      phases = addPhases(phases, clock.durations());
      clock = undefined;
      certificate = soonest(certificate, hop.certificate);
      const location = hop.headers.location;
      if (!cfg.followRedirects || hop.status < 300 || hop.status >= 400 || hop.status === 304 || !location) break;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new CheckFailure("status", `Redirect (${hop.status}) to an invalid URL`, hop.status);
      }
      if (redirects >= MAX_REDIRECTS) throw new CheckFailure("status", `Too many redirects (more than ${MAX_REDIRECTS}); the last one pointed to ${next.host}`, hop.status);
      url = next;
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new CheckFailure("status", `Redirect to an unsupported URL scheme ${url.protocol}`, hop.status);
      // What browsers do: 303 always becomes GET; 301/302 turn a POST into a GET; 307/308 keep both.
      if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
      }
    }
  } catch (e) {
    const { errorClass, message } = classifyError(e, url.host);
    const phase = (e as { phase?: Phase }).phase;
    return {
      outcome: "down",
      errorClass,
      message: errorClass === "timeout" && phase ? timeoutMessage(url.host, cfg.timeoutMs, phase) : message,
      ...(e instanceof CheckFailure && e.statusCode ? { statusCode: e.statusCode } : {}),
      timings: { ...(clock ? addPhases(phases, clock.durations()) : phases), totalMs: total() },
      ...(certificate ? { certificate } : {}),
    };
  }

  if (!hop) throw new Error("no response recorded");
  const base: CheckResult = {
    outcome: "up",
    statusCode: hop.status,
    timings: { ...phases, totalMs: total() },
    ...(certificate ? { certificate } : {}),
    ...(hop.remoteAddress ? { remoteAddress: hop.remoteAddress } : {}),
  };
  const down = (errorClass: CheckResult["errorClass"], message: string): CheckResult => ({ ...base, outcome: "down", errorClass, message });

  const expected = cfg.expectedStatus?.length ? cfg.expectedStatus : DEFAULT_STATUS;
  if (!statusMatches(hop.status, expected)) return down("status", `Expected status ${describeStatus(expected)}, got ${hop.status}`);

  const where = hop.truncated ? "in the first 1 MiB of the response" : "in the response";
  if (cfg.keyword) {
    const present = hop.body.toString("utf8").includes(cfg.keyword);
    if (cfg.keywordAbsent && present) return down("keyword", `Keyword ${JSON.stringify(cfg.keyword)} found ${where}, but it must be absent`);
    if (!cfg.keywordAbsent && !present) return down("keyword", `Keyword ${JSON.stringify(cfg.keyword)} not found ${where}`);
  }

  if (cfg.jsonPath) {
    const steps = parseJsonPath(cfg.jsonPath);
    if (!steps) return down("json", `JSON path ${cfg.jsonPath} is not valid (use e.g. $.data.items[0].name or $["a key"])`);
    let doc: unknown;
    try {
      doc = JSON.parse(hop.body.toString("utf8"));
    } catch {
      return down("json", hop.truncated ? "The response is larger than 1 MiB, too large to read as JSON" : "The response is not valid JSON");
    }
    const r = evaluateJsonPath(doc, steps);
    if (!r.found) return down("json", `JSON path ${cfg.jsonPath} not found in the response`);
    const want = cfg.jsonExpected ?? "";
    if (cfg.jsonMatch === "contains") {
      if (!jsonContains(r.value, want)) return down("json", `JSON path ${cfg.jsonPath} is ${describeValue(r.value)}, expected it to contain ${JSON.stringify(want)}`);
    } else if (!jsonEquals(r.value, want)) {
      return down("json", `JSON path ${cfg.jsonPath} is ${describeValue(r.value)}, expected ${JSON.stringify(want)}`);
    }
  }

  if (certificate && cfg.sslExpiryDays && cfg.sslExpiryDays > 0 && certificate.daysRemaining < cfg.sslExpiryDays) {
    return down(
      "ssl_expiry",
      `Certificate for ${certificate.subject || url.hostname} expires in ${certificate.daysRemaining} days (${certificate.validTo.slice(0, 10)}), under the ${cfg.sslExpiryDays}-day threshold`,
    );
  }

  if (cfg.degradedAboveMs && base.timings.totalMs > cfg.degradedAboveMs) {
    return { ...base, outcome: "degraded", message: `Responded in ${base.timings.totalMs} ms, above the ${cfg.degradedAboveMs} ms threshold` };
  }
  return base;
}
