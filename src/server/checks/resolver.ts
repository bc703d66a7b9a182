import net from "node:net";

/** "ip", "ip:port", "v6", "[v6]:port" → the form Resolver.setServers accepts, or null. */
export function parseResolver(spec: string): { server: string; ip: string } | null {
  const s = spec.trim();
  let ip = s;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) [ip, port] = [bracketed[1]!, bracketed[2]];
  else if (!net.isIPv6(s) && s.includes(":")) [ip, port] = s.split(":") as [string, string];
  if (!net.isIP(ip)) return null;
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return null;
  const v6 = net.isIPv6(ip);
  return { ip, server: port ? (v6 ? `[${ip}]:${port}` : `${ip}:${port}`) : ip };
}
