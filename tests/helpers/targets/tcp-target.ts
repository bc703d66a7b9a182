import net, { type AddressInfo } from "node:net";

/**
 * A raw TCP server on 127.0.0.1 (random port):
 *   "accept" — accepts and closes politely (an open port);
 *   "hold"   — accepts and never says a word (a TLS or HTTP server that hangs);
 *   "reset"  — accepts and answers with a TCP RST (a crashing service).
 */
export async function startTcpTarget(mode: "accept" | "hold" | "reset") {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    if (mode === "accept") s.end();
    if (mode === "reset") s.resetAndDestroy();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound once to get a free number, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
