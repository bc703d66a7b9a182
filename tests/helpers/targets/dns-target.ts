import dns2 from "dns2";

const { Packet } = dns2 as unknown as { Packet: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

type Zone = Record<string, { A?: string[]; AAAA?: string[]; CNAME?: string; MX?: [number, string][]; TXT?: string[]; NS?: string[]; servfail?: boolean }>;

/** A real DNS server (UDP, 127.0.0.1, random port) answering from a small zone; NXDOMAIN otherwise. */
export async function startDnsTarget(zone: Zone) {
  const server = (dns2 as unknown as { createServer: (o: object) => any }).createServer({ // eslint-disable-line @typescript-eslint/no-explicit-any
    udp: true,
    handle: (request: any, send: (r: unknown) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const response = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const name = String(q.name).toLowerCase();
      const rec = zone[name];
      if (!rec) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
        return send(response);
      }
      if (rec.servfail) {
        response.header.rcode = Packet.RCODE.SERVFAIL;
        return send(response);
      }
      const base = { name: q.name, class: Packet.CLASS.IN, ttl: 60 };
      const T = Packet.TYPE;
      if (q.type === T.A) rec.A?.forEach((address) => response.answers.push({ ...base, type: T.A, address }));
      if (q.type === T.AAAA) rec.AAAA?.forEach((address) => response.answers.push({ ...base, type: T.AAAA, address }));
      if (q.type === T.CNAME && rec.CNAME) response.answers.push({ ...base, type: T.CNAME, domain: rec.CNAME });
      if (q.type === T.MX) rec.MX?.forEach(([priority, exchange]) => response.answers.push({ ...base, type: T.MX, priority, exchange }));
      if (q.type === T.TXT) rec.TXT?.forEach((data) => response.answers.push({ ...base, type: T.TXT, data }));
      if (q.type === T.NS) rec.NS?.forEach((ns) => response.answers.push({ ...base, type: T.NS, ns }));
      send(response);
    },
  });
  const listening = new Promise<void>((r) => server.on("listening", () => r()));
  server.listen({ udp: { port: 0, address: "127.0.0.1" } });
  await listening;
  const port = server.addresses().udp.port as number;
  return { resolver: `127.0.0.1:${port}`, close: () => server.close() };
}
