import { z } from "zod";
import { sslExecutor } from "../../checks/executors/ssl";
import type { SslConfig } from "../../checks/types";
import { defineKind, hostPort, num, str, hostPortFields, hostTarget } from "./kind";
import { host, port } from "./tcp";

/** SSL certificate: valid and not about to expire. */
export const ssl = defineKind({
  type: "ssl",
  label: "SSL",
  fields: {
    host,
    port,
    expiryThresholdDays: z.coerce.number().int().min(0).max(365).default(14),
  },
  refine(v, need) {
    if (!v.host) need("host", "Host is required");
  },
  secretFields: [],
  split: (d) => ({ config: { host: d.host, port: d.port ?? 443, expiryThresholdDays: d.expiryThresholdDays }, secrets: null }),
  toInput: (c) => ({ host: c.host, port: c.port, expiryThresholdDays: c.expiryThresholdDays }),
  check: {
    toExecutable: (c, _s, timeoutMs): SslConfig => ({ type: "ssl", host: str(c.host) ?? "", port: num(c.port) ?? 443, expiryThresholdDays: num(c.expiryThresholdDays) ?? 14, timeoutMs }),
    execute: sslExecutor,
  },
  target: (c) => hostPort(c.host, c.port ?? 443),
  targets: hostTarget,
  form: {
    title: "SSL certificate",
    description: "Valid and not about to expire",
    namePlaceholder: "Checkout API",
    testable: true,
    fields: [...hostPortFields("example.com", 443), { name: "expiryThresholdDays", label: "Alert when the certificate expires within (days)", control: "number", min: 0, max: 365, default: 14 }],
  },
  view: { host: z.string().optional(), port: z.number().optional(), expiryThresholdDays: z.number().optional() },
  toView: (_m, c) => ({ host: str(c.host), port: num(c.port), expiryThresholdDays: num(c.expiryThresholdDays) }),
});
