/**
 * Web process: Next.js behind a thin node:http server, so the client's socket address
 * reaches the app (Next exposes no remote address to route handlers) for throttling and
 * the audit log. Honours PORT (default 3000).
 */
import cluster from "node:cluster";
import http from "node:http";
import next from "next";
import { env } from "../src/server/env";
import { closeDb } from "../src/server/db/client";
import { closeRedis } from "../src/server/redis";
import { dispatchApi } from "../src/web/api-dispatch";
import { dispatchStatus } from "../src/web/status-dispatch";
import { flushAccessLog } from "../src/server/api/access-log";

const IP_HEADER = "x-perigee-client-ip";

async function main() {
  const e = env();
  const dev = e.PERIGEE_DEV;
  const app = next({ dev, dir: process.cwd(), port: e.PORT, hostname: e.HOST });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer(async (req, res) => {
    // Never trust a client-supplied copy of our internal header.
    delete req.headers[IP_HEADER];
    req.headers[IP_HEADER] = (req.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
    // Status pages: custom domains, and every public GET of a page — HTML, Statuspage JSON,
    // feeds, badges — straight from the snapshot cache (src/web/status-dispatch.ts).
    if (await dispatchStatus(req, res)) return;
    // The REST API is served by its own handlers directly; everything else by Next.js.
    if (req.url?.startsWith("/api/v1/")) {
      void dispatchApi(req, res, { production: !dev && e.NODE_ENV === "production" }).then((done) => {
        if (!done) void handle(req, res);
      });
      return;
    }
    void handle(req, res);
  });
  // A deep accept queue: hundreds of clients connecting at once (a status page during an
  // outage) must wait in it, not have their SYNs dropped and retried seconds later.
  server.listen({ port: e.PORT, host: e.HOST, backlog: 4096 }, () => {
    console.log(`[web] ready on ${e.APP_URL} (port ${e.PORT})`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[web] ${signal}: closing`);
    server.close(async () => {
      await flushAccessLog().catch(() => undefined);
      await Promise.allSettled([closeDb(), closeRedis()]);
      process.exit(0);
    });
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/**
 * WEB_CONCURRENCY > 1 runs that many web processes sharing the port (node:cluster); the
 * primary only forwards signals and restarts nothing — a crashed process stops the group so
 * the supervisor (npm start, Docker, systemd) sees it.
 */
let processes = 1;
try {
  processes = env().WEB_CONCURRENCY;
} catch {
  // An invalid configuration: main() below reports it, naming the variable.
}
if (processes > 1 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  process.on("SIGINT", () => stopAll("SIGTERM"));
  process.on("SIGTERM", () => stopAll("SIGTERM"));
  cluster.on("exit", (w, code) => {
    if (!stopping) {
      console.error(`[web] process ${w.process.pid} exited (code ${code}); stopping the others.`);
      stopAll("SIGTERM");
      process.exitCode = 1;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
  });
} else {
  main().catch((err) => {
    console.error(`[web] failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
