import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string; json: unknown; at: number };
export type Answer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sets Retry-After: seconds, or an HTTP date. */
  retryAfter?: number | string;
  /** Holds the answer this long (a receiver that hangs past the sender's timeout). */
  delayMs?: number;
};

export type Receiver = {
  url: string;
  requests: Received[];
  /** Answers for the next requests, in order; after them, `fallback`. */
  script(...answers: Answer[]): void;
  fallback: Answer | ((r: Received) => Answer);
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
};

/**
 * A real HTTP server on loopback standing in for Slack, Telegram, PagerDuty, Twilio or a
 * customer's webhook: it records every request and answers as scripted (any status, a
 * Retry-After, a delayed answer).
 */
export async function startReceiver(fallback: Receiver["fallback"] = { status: 200, body: { ok: true } }): Promise<Receiver> {
  const queue: Answer[] = [];
  const requests: Received[] = [];
  const r: Receiver = {
    url: "",
    requests,
    script: (...a) => void queue.push(...a),
    fallback,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${requests.length} of ${count} requests`);
        await new Promise((res) => setTimeout(res, 10));
      }
      return requests;
    },
    close: () =>
      new Promise((res) => {
        server.close(() => res());
        server.closeAllConnections(); // a delayed answer would otherwise hold close() open
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = body && (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(body) : null;
      } catch {
        json = null;
      }
      const rec: Received = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json, at: Date.now() };
      requests.push(rec);
      const a = queue.shift() ?? (typeof r.fallback === "function" ? r.fallback(rec) : r.fallback);
      const out = typeof a.body === "string" ? a.body : JSON.stringify(a.body ?? {});
      const headers = { "content-type": typeof a.body === "string" ? "text/plain" : "application/json", ...(a.retryAfter !== undefined ? { "retry-after": String(a.retryAfter) } : {}), ...a.headers };
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(a.status, headers);
        res.end(out);
      };
      if (a.delayMs) {
        const t = setTimeout(send, a.delayMs);
        res.on("close", () => clearTimeout(t));
      } else send();
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}
