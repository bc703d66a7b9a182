import { z } from "zod";
import { tcpExecutor } from "../../checks/executors/tcp";
import type { TcpConfig } from "../../checks/types";
import { defineKind, hostPort, num, str, hostPortFields, hostTarget } from "./kind";

export const host = z.string().trim().max(253, "Host is too long").optional();
export const port = z.coerce.number({ error: "Port must be a number" }).int("Port must be a whole number").min(1, "Port must be 1-65535").max(65535, "Port must be 1-65535").optional();

/** TCP: a host accepts connections on a port. */
export const tcp = defineKind({
  type: "tcp",
  label: "TCP",
  fields: {
    host,
    port,
    degradedAboveMs: z.coerce.number().int().min(1, "Must be at least 1 ms").max(60_000).optional(),
  },
  refine(v, need) {
    if (!v.host) need("host", "Host is required");
    if (!v.port) need("port", "Port is required for a TCP monitor");
  },
  secretFields: [],
  split: (d) => ({ config: { host: d.host, port: d.port, degradedAboveMs: d.degradedAboveMs }, secrets: null }),
  toInput: (c) => ({ host: c.host, port: c.port, degradedAboveMs: c.degradedAboveMs }),
  check: {
    toExecutable: (c, _s, timeoutMs): TcpConfig => ({ type: "tcp", host: str(c.host) ?? "", port: num(c.port) ?? 0, timeoutMs, degradedAboveMs: num(c.degradedAboveMs) }),
    execute: tcpExecutor,
  },
  target: (c) => hostPort(c.host, c.port),
  targets: hostTarget,
  form: {
    title: "TCP port",
    description: "A host accepts connections on a port",
    namePlaceholder: "Checkout API",
    testable: true,
    fields: [
      ...hostPortFields("db.example.com"),
      { name: "degradedAboveMs", label: "Degraded above (ms)", control: "number", min: 1, max: 60000, hint: "Slower connections mark the monitor DEGRADED" },
    ],
  },
  view: { host: z.string().optional(), port: z.number().optional(), degradedAboveMs: z.number().optional() },
  toView: (_m, c) => ({ host: str(c.host), port: num(c.port), degradedAboveMs: num(c.degradedAboveMs) }),
});
