import http from "node:http";
import https from "node:https";
import tls, { type TLSSocket } from "node:tls";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { assertConnectable, guardedLookup } from "../ssrf";
import type { CertificateInfo, CheckResult, ExecOptions, Executor, HttpConfig, StatusRange, Timings } from "../types";
import { CheckFailure, classifyError } from "./errors";
import { describeValue, evaluateJsonPath } from "./json-path";

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 5;

type Phase = "resolving" | "connecting" | "in the TLS handshake" | "waiting for the response" | "reading the body";

type Hop = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  timings: Omit<Timings, "totalMs">;
  certificate?: CertificateInfo;
  remoteAddress?: string;
};

export function certificateInfo(socket: TLSSocket, now: number): CertificateInfo | undefined {
  const c = socket.getPeerCertificate?.();
  if (!c || !c.valid_to) return undefined;
  const validTo = new Date(c.valid_to);
  const cn = (x: unknown) => {
    const v = (x as { CN?: string | string[]; O?: string | string[] } | undefined) ?? {};
    const pick = v.CN ?? v.O ?? "";
    return Array.isArray(pick) ? pick.join(", ") : pick;
  };
  return {
    subject: cn(c.subject),
    issuer: cn(c.issuer),
    validFrom: new Date(c.valid_from).toISOString(),
    validTo: validTo.toISOString(),
    daysRemaining: Math.floor((validTo.getTime() - now) / 86_400_000),
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
  };
}

function requestOnce(url: URL, method: string, headers: Record<string, string>, body: string | undefined, deadline: number, opts: ExecOptions): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const marks: { lookup?: number; connect?: number; secure?: number; response?: number } = {};
    let phase: Phase = net.isIP(url.hostname.replace(/^\[|\]$/g, "")) ? "connecting" : "resolving";
    const isHttps = url.protocol === "https:";
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    let certificate: CertificateInfo | undefined;
    let remoteAddress: string | undefined;
    const lib = isHttps ? https : http;
    const req = lib.request(
      url,
      {
        method,
        headers: { "user-agent": "Perigee/1.0 (+uptime monitoring)", accept: "*/*", ...headers },
        agent: false, // a fresh connection per check, so the timing phases are honest
        lookup: guardedLookup({ allowPrivate: opts.allowPrivate, resolve: opts.resolve }),
        ...(isHttps ? { ca: opts.ca ? [...tls.rootCertificates, ...[opts.ca].flat()] : undefined, servername: net.isIP(hostname) ? undefined : hostname, rejectUnauthorized: true } : {}),
      },
      (res) => {
        marks.response = performance.now();
        phase = "reading the body";
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on("data", (chunk: Buffer) => {
          if (size >= MAX_BODY_BYTES) {
            truncated = true;
            return;
          }
          const room = MAX_BODY_BYTES - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            truncated = true;
          } else chunks.push(chunk);
          size += Math.min(chunk.length, room);
          if (truncated) res.destroy();
        });
        const finish = () => {
          clearTimeout(timer);
          const ready = marks.secure ?? marks.connect ?? t0;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            truncated,
            certificate,
            remoteAddress,
            timings: {
              ...(marks.lookup !== undefined ? { dnsMs: marks.lookup - t0 } : {}),
              ...(marks.connect !== undefined ? { connectMs: marks.connect - (marks.lookup ?? t0) } : {}),
              ...(marks.secure !== undefined && marks.connect !== undefined ? { tlsMs: marks.secure - marks.connect } : {}),
              ttfbMs: marks.response! - ready,
            },
          });
        };
        res.on("end", finish);
        res.on("close", () => (truncated ? finish() : undefined));
        res.on("error", (e) => (truncated ? finish() : reject(e)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error(`No answer (${phase})`), { code: "ETIMEDOUT", phase }));
    }, Math.max(1, deadline - performance.now()));
    req.on("socket", (socket) => {
      socket.on("lookup", (err) => {
        if (!err) {
          marks.lookup = performance.now();
          phase = "connecting";
        }
      });
      socket.on("connect", () => {
        marks.connect = performance.now();
        remoteAddress = socket.remoteAddress;
        phase = isHttps ? "in the TLS handshake" : "waiting for the response";
      });
      socket.on("secureConnect", () => {
        marks.secure = performance.now();
        phase = "waiting for the response";
        certificate = certificateInfo(socket as TLSSocket, (opts.now ?? Date.now)());
      });
    });
    req.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    if (body !== undefined && method !== "GET" && method !== "HEAD") req.write(body);
    req.end();
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

export const httpExecutor: Executor<HttpConfig> = async (cfg, opts) => {
  const start = performance.now();
  const deadline = start + cfg.timeoutMs;
  let url = new URL(cfg.url);
  const origin = url.origin;
  let method: string = cfg.method;
  let body = cfg.body;
  let hop: Hop | undefined;
  const total = () => Math.round(performance.now() - start);
  try {
    for (let redirects = 0; ; redirects++) {
      assertConnectable(url.hostname, opts.allowPrivate);
      // Credentials go only to the monitor's own origin, never to a redirect target elsewhere.
      const headers = { ...cfg.headers, ...(url.origin === origin ? authHeader(cfg) : {}) };
      if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
      hop = await requestOnce(url, method, headers, body, deadline, opts);
      const location = hop.headers.location;
      if (!cfg.followRedirects || hop.status < 300 || hop.status >= 400 || !location || hop.status === 304) break;
      if (redirects >= MAX_REDIRECTS) throw new CheckFailure("status", `Too many redirects (more than ${MAX_REDIRECTS}); last one pointed to ${location}`, hop.status);
      url = new URL(location, url);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new CheckFailure("status", `Redirect to an unsupported URL: ${location}`, hop.status);
      if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
      }
    }
  } catch (e) {
    const { errorClass, message } = classifyError(e, url.host);
    const fixed = errorClass === "timeout" ? `No answer from ${url.host} within ${cfg.timeoutMs} ms (${(e as { phase?: string }).phase ?? "waiting"})` : message;
    return { outcome: "down", errorClass, message: fixed, statusCode: e instanceof CheckFailure ? e.statusCode : undefined, timings: { totalMs: total() } };
  }
  const h = hop!;
  const base: CheckResult = { outcome: "up", statusCode: h.status, timings: { ...roundTimings(h.timings), totalMs: total() }, certificate: h.certificate, remoteAddress: h.remoteAddress };
  const down = (errorClass: CheckResult["errorClass"], message: string): CheckResult => ({ ...base, outcome: "down", errorClass, message });

  if (!statusMatches(h.status, cfg.expectedStatus)) return down("status", `Expected status ${describeStatus(cfg.expectedStatus)}, got ${h.status}`);
  if (cfg.keyword) {
    const text = h.body.toString("utf8");
    const present = text.includes(cfg.keyword);
    const where = h.truncated ? " in the first 1 MiB of the response" : " in the response";
    if (cfg.keywordAbsent && present) return down("keyword", `Keyword ${JSON.stringify(cfg.keyword)} found${where}, but it must be absent`);
    if (!cfg.keywordAbsent && !present) return down("keyword", `Keyword ${JSON.stringify(cfg.keyword)} not found${where}`);
  }
  if (cfg.jsonPath) {
    let doc: unknown;
    try {
      doc = JSON.parse(h.body.toString("utf8"));
    } catch {
      return down("json", `The response is not valid JSON${h.truncated ? " (or is larger than 1 MiB)" : ""}`);
    }
    const r = evaluateJsonPath(doc, cfg.jsonPath);
    const expected = cfg.jsonExpected ?? "";
    if (!r.found) return down("json", `JSON path ${cfg.jsonPath} not found in the response`);
    const ok = (cfg.jsonMatch ?? "equals") === "equals" ? jsonEquals(r.value, expected) : jsonContains(r.value, expected);
    if (!ok) return down("json", `JSON path ${cfg.jsonPath} is ${describeValue(r.value)}, expected ${cfg.jsonMatch === "contains" ? "it to contain" : ""} ${JSON.stringify(expected)}`.replace("expected  ", "expected "));
  }
  if (h.certificate && cfg.sslExpiryDays && h.certificate.daysRemaining < cfg.sslExpiryDays) {
    return down("ssl_expiry", `Certificate expires in ${h.certificate.daysRemaining} days (${h.certificate.validTo.slice(0, 10)}), under the ${cfg.sslExpiryDays}-day threshold`);
  }
  if (cfg.degradedAboveMs && base.timings.totalMs > cfg.degradedAboveMs) {
    return { ...base, outcome: "degraded", message: `Responded in ${base.timings.totalMs} ms, above the ${cfg.degradedAboveMs} ms threshold` };
  }
  return base;
};

function roundTimings(t: Omit<Timings, "totalMs">) {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v as number)])) as Omit<Timings, "totalMs">;
}

function scalar(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}
function jsonEquals(v: unknown, expected: string): boolean {
  return scalar(v) === expected;
}
function jsonContains(v: unknown, expected: string): boolean {
  if (Array.isArray(v)) return v.some((x) => scalar(x) === expected);
  return scalar(v).includes(expected);
}
