import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Pem } from "../certs";

export type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
export type Route = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
export type HttpTarget = Awaited<ReturnType<typeof startHttpTarget>>;

/** A programmable HTTP(S) server on 127.0.0.1 (random port) that records every request it gets. */
export async function startHttpTarget(routes: Record<string, Route>, tls?: Pem) {
  const seen: Seen[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "/").split("?")[0]!;
      seen.push({ method: req.method ?? "", url: path, headers: req.headers, body });
      const route = routes[path] ?? text(404, "not found");
      route(req, res, body);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  // A TLS client that rejects our certificate makes the server emit this; it is expected here.
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/", host = "127.0.0.1") => `${tls ? "https" : "http"}://${host}:${port}${path}`,
    seen,
    /** Requests received for `path`, oldest first. */
    hits: (path: string) => seen.filter((s) => s.url === path),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const text =
  (status: number, body: string, headers: Record<string, string> = {}): Route =>
  (_q, s) => {
    s.writeHead(status, { "content-type": "text/plain", ...headers });
    s.end(body);
  };

export const json =
  (body: unknown, status = 200): Route =>
  (_q, s) => {
    s.writeHead(status, { "content-type": "application/json" });
    s.end(JSON.stringify(body));
  };

/** Raw bytes with a JSON content type, for invalid or oddly shaped JSON. */
export const rawJson =
  (body: string): Route =>
  (_q, s) => {
    s.writeHead(200, { "content-type": "application/json" });
    s.end(body);
  };

export const redirect =
  (to: string, status = 302): Route =>
  (_q, s) => {
    s.writeHead(status, { location: to });
    s.end();
  };

/** `/prefix/1` → `/prefix/2` → … → `/prefix/n` → `final`: n redirects in all. */
export function redirectChain(prefix: string, n: number, final: string, status = 302): Record<string, Route> {
  const routes: Record<string, Route> = {};
  for (let i = 1; i <= n; i++) routes[`${prefix}/${i}`] = redirect(i === n ? final : `${prefix}/${i + 1}`, status);
  return routes;
}

/** Echoes what it received as JSON, so tests can assert on method, headers and body. */
export const echo =
  (status = 200): Route =>
  (req, s, body) => {
    s.writeHead(status, { "content-type": "application/json" });
    s.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
  };

/** `bytes` of filler and then `tail`, sent in 64 KiB writes. */
export const bigBody =
  (bytes: number, tail: string): Route =>
  (_q, s) => {
    s.writeHead(200, { "content-type": "text/plain" });
    const chunk = "x".repeat(64 * 1024);
    let left = bytes;
    while (left > 0) {
      s.write(left >= chunk.length ? chunk : chunk.slice(0, left));
      left -= chunk.length;
    }
    s.end(tail);
  };

/** Headers only after `ms` (the timer dies with the connection, so nothing outlives a test). */
export const slowHeaders =
  (ms: number, body = "late"): Route =>
  (_q, s) => {
    const t = setTimeout(() => s.end(body), ms);
    s.on("close", () => clearTimeout(t));
  };

/** Headers and a first chunk at once, the rest of the body after `ms`. */
export const slowBody =
  (ms: number): Route =>
  (_q, s) => {
    s.writeHead(200, { "content-type": "text/plain" });
    s.write("start ");
    const t = setTimeout(() => s.end("end"), ms);
    s.on("close", () => clearTimeout(t));
  };
