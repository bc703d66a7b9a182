import net from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { z } from "zod";
import { classifyError } from "../../checks/executors/errors";
import { PhaseClock, stripBrackets, timeoutMessage, trustedCas, type Phase } from "../../checks/executors/shared";
import { resolvePinned } from "../../checks/ssrf";
import type { CheckResult, ExecOptions } from "../../checks/types";
import { bool, defineKind, hostPort, num, str, hostPortFields, hostTarget } from "./kind";
import { host } from "./tcp";

export type RedisConfig = {
  type: "redis";
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** Name the certificate must carry (and SNI); the host by default. */
  servername?: string;
  timeoutMs: number;
};

/** One RESP command: an array of bulk strings. */
function command(...args: string[]): Buffer {
  return Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.flatMap((a) => [Buffer.from(`$${Buffer.byteLength(a)}\r\n`), Buffer.from(a), Buffer.from("\r\n")])]);
}

/** A reply line as people may read it: the error's code word, or a short printable excerpt. */
function excerpt(line: string): string {
  const s = line.replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/**
 * UP when the server answers PING with PONG (after AUTH when a password is set). The host is
 * resolved once by the SSRF guard and the socket connects to that address; TLS verifies the
 * host name (or `servername`). A raw RESP exchange: two commands, no client library.
 */
function redisExecutor(cfg: RedisConfig, opts: ExecOptions): Promise<CheckResult> {
  return new Promise<CheckResult>((resolve) => {
    const clock = new PhaseClock(performance.now());
    const h = stripBrackets(cfg.host);
    const target = hostPort(h, cfg.port) ?? "the server";
    let phase: Phase = net.isIP(h) ? "while connecting" : "while resolving";
    let socket: net.Socket | undefined;
    let settled = false;
    const settle = (r: Omit<CheckResult, "timings">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve({ ...r, timings: { ...clock.durations(), totalMs: clock.at() } });
    };
    const timer = setTimeout(() => settle({ outcome: "down", errorClass: "timeout", message: timeoutMessage(target, cfg.timeoutMs, phase) }), cfg.timeoutMs);
    const fail = (e: unknown) => settle({ outcome: "down", ...classifyError(e, target) });

    resolvePinned(h, opts).then((pinned) => {
      if (settled) return;
      clock.mark("lookup");
      phase = "while connecting";
      const servername = cfg.servername || (net.isIP(h) ? undefined : h);
      const s: net.Socket = cfg.tls ? tls.connect({ host: pinned.address, port: cfg.port, servername, ca: trustedCas(opts) }) : net.connect({ host: pinned.address, port: cfg.port });
      socket = s;
      s.once("connect", () => {
        clock.mark("connect");
        phase = cfg.tls ? "during the TLS handshake" : "while waiting for the response";
      });
      s.once("secureConnect", () => {
        clock.mark("secure");
        phase = "while waiting for the response";
      });
      s.on("error", fail);
      s.on("close", () => settle({ outcome: "down", errorClass: "refused", message: `Connection closed by ${target} before it answered PING` }));

      // Replies arrive in order: AUTH's (when sent), then PING's. Only the first line of each matters.
      const expecting: ("auth" | "ping")[] = cfg.password ? ["auth", "ping"] : ["ping"];
      let buf = "";
      s.on("data", (d: Buffer) => {
        buf += d.toString("latin1");
        if (buf.length > 64 * 1024) return settle({ outcome: "down", errorClass: "status", message: `${target} sent an answer too long for PING` });
        let nl: number;
        while ((nl = buf.indexOf("\r\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 2);
          const what = expecting.shift();
          if (what === "auth") {
            if (line === "+OK") continue;
            if (/^-(WRONGPASS|ERR invalid (username|password))/i.test(line)) return settle({ outcome: "down", errorClass: "refused", message: "Authentication failed (wrong user name or password)" });
            return settle({ outcome: "down", errorClass: "refused", message: `AUTH was refused: ${excerpt(line.split(" ")[0] ?? line)}` });
          }
          clock.mark("response");
          if (line === "+PONG") return settle({ outcome: "up", ...(s.remoteAddress ? { remoteAddress: s.remoteAddress } : {}) });
          if (line.startsWith("-NOAUTH")) return settle({ outcome: "down", errorClass: "refused", message: "The server requires a password (NOAUTH)" });
          if (line.startsWith("-")) return settle({ outcome: "down", errorClass: "status", message: `PING answered with an error: ${excerpt(line.split(" ")[0] ?? line)}` });
          return settle({ outcome: "down", errorClass: "status", message: `Expected PONG, got ${excerpt(line)}` });
        }
      });
      const auth = cfg.password ? (cfg.username ? command("AUTH", cfg.username, cfg.password) : command("AUTH", cfg.password)) : Buffer.alloc(0);
      s.write(Buffer.concat([auth, command("PING")]));
    }, fail);
  });
}

/** Redis: PING answered with PONG (AUTH and TLS optional). */
export const redis = defineKind({
  type: "redis",
  label: "Redis",
  fields: {
    host,
    port: z.coerce.number({ error: "Port must be a number" }).int("Port must be a whole number").min(1, "Port must be 1-65535").max(65535, "Port must be 1-65535").default(6379),
    username: z.string().trim().max(256, "User name is too long").optional(),
    password: z.string().max(1024, "Password is too long").optional(),
    tls: z.boolean().default(false),
    servername: z.string().trim().max(253, "Server name is too long").optional(),
  },
  refine(v, need) {
    if (!v.host) need("host", "Host is required");
    if (v.username && !v.password) need("password", "A user name needs a password (AUTH user password)");
    if (v.servername && !v.tls) need("servername", "A server name is used only with TLS");
  },
  secretFields: ["password"],
  split: (d) => ({
    config: { host: d.host, port: d.port, username: d.username || undefined, tls: d.tls, servername: d.servername || undefined },
    secrets: d.password ? { password: d.password } : null,
  }),
  toInput: (c, secrets) => ({ host: c.host, port: c.port, username: c.username, password: secrets().password, tls: c.tls, servername: c.servername }),
  check: {
    toExecutable: (c, secrets, timeoutMs): RedisConfig => ({
      type: "redis",
      host: str(c.host) ?? "",
      port: num(c.port) ?? 6379,
      username: str(c.username),
      password: str(secrets().password),
      tls: bool(c.tls) ?? false,
      servername: str(c.servername),
      timeoutMs,
    }),
    execute: redisExecutor,
  },
  target: (c) => hostPort(c.host, c.port ?? 6379),
  targets: hostTarget,
  form: {
    title: "Redis",
    description: "A server answers PING with PONG",
    namePlaceholder: "Session cache",
    testable: true,
    fields: [
      ...hostPortFields("cache.example.com", 6379),
      { name: "username", label: "User (optional)", control: "text", hint: "Redis 6 ACL user; empty: the default user", row: "auth" },
      { name: "password", label: "Password (optional)", control: "password", secret: true, hint: "Sent with AUTH; stored encrypted", row: "auth" },
      { name: "tls", label: "Use TLS", control: "checkbox", default: false, hint: "The certificate must be valid for the host (or the server name below)" },
      { name: "servername", label: "TLS server name (optional)", control: "text", placeholder: "cache.example.com", hint: "Name the certificate must carry; the host by default" },
    ],
  },
  view: {
    host: z.string().optional(),
    port: z.number().optional(),
    username: z.string().optional(),
    tls: z.boolean().optional(),
    servername: z.string().optional(),
  },
  toView: (_m, c) => ({ host: str(c.host), port: num(c.port), username: str(c.username), tls: bool(c.tls), servername: str(c.servername) }),
});
