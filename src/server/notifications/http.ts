import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import { assertConnectable, guardedLookup, isSsrfBlocked } from "../checks/ssrf";
import { env } from "../env";

/**
 * Outbound HTTP for notification providers. Customer-supplied URLs (webhooks, Slack, custom
 * base URLs) go through the SSRF guard at connect time, with the validated address pinned;
 * the operator's own provider URLs from the environment are trusted. No redirects are
 * followed (a receiver that redirects gets a clear error instead).
 */
export type HttpAnswer = { status: number; body: string; latencyMs: number; headers: http.IncomingHttpHeaders };

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** false: retrying cannot help (bad URL, blocked address, 4xx other than 408/429). */
    public readonly retryable: boolean,
    public readonly httpStatus: number | null = null,
    public readonly response: string | null = null,
    public readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

const MAX_BODY = 4096;

export async function postRaw(url: string, body: string, headers: Record<string, string>, opts: { guard: boolean; timeoutMs?: number; method?: string; maxBody?: number }): Promise<HttpAnswer> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DeliveryError("The channel's URL is not a valid URL", false);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new DeliveryError("Only http(s) URLs can receive notifications", false);
  const allowPrivate = !opts.guard || env().ALLOW_PRIVATE_TARGETS;
  try {
    assertConnectable(u.hostname.replace(/^\[|\]$/g, ""), allowPrivate);
  } catch (e) {
    throw new DeliveryError(`Blocked by the SSRF guard: ${(e as Error).message}`, false);
  }
  const timeoutMs = opts.timeoutMs ?? env().NOTIFY_TIMEOUT_MS;
  const mod = u.protocol === "https:" ? https : http;
  const started = performance.now();
  const maxBody = opts.maxBody ?? MAX_BODY;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: opts.method ?? "POST",
        headers: { "user-agent": "Perigee-Notifications/1", "content-length": Buffer.byteLength(body).toString(), ...headers },
        lookup: guardedLookup({ allowPrivate }),
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < maxBody) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8").slice(0, maxBody), latencyMs: Math.round(performance.now() - started), headers: res.headers });
        });
        res.on("error", (e) => reject(networkError(e)));
      },
    );
    // One deadline for the whole exchange, not only idle time.
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })), timeoutMs);
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.on("error", (e) => {
      clearTimeout(deadline);
      reject(networkError(e));
    });
    req.end(body);
  });
}

function networkError(e: Error & { code?: string }): DeliveryError {
  if (isSsrfBlocked(e)) return new DeliveryError(`Blocked by the SSRF guard: ${e.message}`, false);
  const why: Record<string, string> = {
    ENOTFOUND: "the host name does not resolve",
    ECONNREFUSED: "the connection was refused",
    ECONNRESET: "the connection was reset",
    ETIMEDOUT: e.message,
    EAI_AGAIN: "DNS lookup failed temporarily",
  };
  return new DeliveryError(`Could not reach the receiver: ${(e.code && why[e.code]) ?? e.message}`, true);
}

/** Turns an HTTP answer into success or a DeliveryError that says whether to retry. */
export function judge(a: HttpAnswer, provider: string): HttpAnswer {
  if (a.status >= 200 && a.status < 300) return a;
  const snippet = a.body.replace(/\s+/g, " ").trim().slice(0, 300);
  const msg = `${provider} answered HTTP ${a.status}${snippet ? `: ${snippet}` : ""}`;
  const retryAfter = retryAfterMs(a.headers["retry-after"]);
  // 4xx means the request itself is wrong (bad token, unknown hook): retrying cannot help —
  // except 408 (timeout) and 429 (slow down).
  const retryable = a.status >= 500 || a.status === 408 || a.status === 429 || a.status < 200 || (a.status >= 300 && a.status < 400);
  throw new DeliveryError(
    a.status >= 300 && a.status < 400 ? `${provider} redirected (HTTP ${a.status}); use the final URL` : msg,
    retryable && !(a.status >= 300 && a.status < 400),
    a.status,
    a.body.slice(0, 1000),
    retryAfter,
  );
}

export function retryAfterMs(h: string | string[] | undefined): number | null {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - Date.now());
}

export async function postJson(url: string, payload: unknown, opts: { guard: boolean; headers?: Record<string, string>; provider: string }): Promise<HttpAnswer> {
  const a = await postRaw(url, JSON.stringify(payload), { "content-type": "application/json", ...opts.headers }, { guard: opts.guard });
  return judge(a, opts.provider);
}
