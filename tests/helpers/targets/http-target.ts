import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Pem } from "../certs";

export type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
type Route = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** A programmable HTTP(S) server on 127.0.0.1 that records what it received. */
export async function startHttpTarget(routes: Record<string, Route>, tls?: Pem) {
  const seen: Seen[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const route = routes[(req.url ?? "/").split("?")[0]!] ?? ((_q, s) => { s.writeHead(404); s.end("not found"); });
      route(req, res, body);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/") => `${tls ? "https" : "http"}://127.0.0.1:${port}${path}`,
    seen,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export const text = (status: number, body: string, headers: Record<string, string> = {}): Route => (_q, s) => {
  s.writeHead(status, { "content-type": "text/plain", ...headers });
  s.end(body);
};
export const json = (body: unknown, status = 200): Route => (_q, s) => {
  s.writeHead(status, { "content-type": "application/json" });
  s.end(JSON.stringify(body));
};
export const redirect = (to: string, status = 302): Route => (_q, s) => {
  s.writeHead(status, { location: to });
  s.end();
};
