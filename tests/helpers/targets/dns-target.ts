import dgram from "node:dgram";
import type { AddressInfo } from "node:net";
import dns2 from "dns2";

const { Packet } = dns2;
const RCODE = { SERVFAIL: 2, NXDOMAIN: 3 } as const;

export type Zone = Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string; MX?: [number, string][]; TXT?: string[]; NS?: string[]; servfail?: boolean }>;

/** A real DNS server (UDP, 127.0.0.1, random port) answering from a small zone; NXDOMAIN otherwise. */
export async function startDnsTarget(zone: Zone) {
  let queries = 0;
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      queries++;
      const response = Packet.createResponseFromRequest(request);
      const q = request.questions[0];
      const rec = q ? zone[q.name.toLowerCase().replace(/\.$/, "")] : undefined;
      if (!q || !rec || rec.servfail) {
        response.header.rcode = rec?.servfail ? RCODE.SERVFAIL : RCODE.NXDOMAIN;
        void send(response);
        return;
      }
      const T = Packet.TYPE;
      const add = (type: number, data: Record<string, unknown>) => response.answers.push(Packet.createResourceFromQuestion(q, { name: q.name, type, class: Packet.CLASS.IN, ttl: 60, ...data }));
      if (q.type === T.A) rec.A?.forEach((address) => add(T.A, { address }));
      if (q.type === T.AAAA) rec.AAAA?.forEach((address) => add(T.AAAA, { address }));
      if (q.type === T.CNAME && rec.CNAME) add(T.CNAME, { domain: rec.CNAME });
      if (q.type === T.MX) rec.MX?.forEach(([priority, exchange]) => add(T.MX, { priority, exchange }));
      if (q.type === T.TXT) rec.TXT?.forEach((data) => add(T.TXT, { data }));
      if (q.type === T.NS) rec.NS?.forEach((ns) => add(T.NS, { ns }));
      void send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  const port = addresses.udp?.port ?? server.addresses().udp?.port;
  if (!port) throw new Error("DNS target did not report its UDP port");
  return { resolver: `127.0.0.1:${port}`, queries: () => queries, close: () => server.close() };
}

/** A UDP socket that takes DNS queries and never answers: a resolver that has gone silent. */
export async function startSilentResolver() {
  const sock = dgram.createSocket("udp4");
  let queries = 0;
  sock.on("message", () => queries++);
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  return { resolver: `127.0.0.1:${(sock.address() as AddressInfo).port}`, queries: () => queries, close: () => new Promise<void>((r) => sock.close(() => r())) };
}
