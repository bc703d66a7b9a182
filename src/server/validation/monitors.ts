import { z } from "zod";
import { parseResolver } from "../checks/executors/dns";

/**
 * One schema for a monitor, shared by the dashboard form, the REST API (issue 5) and the
 * OpenAPI document. Flat fields; which ones apply depends on `type`.
 */
const statusEntry = z.union([
  z.number().int().min(100).max(599),
  z
    .string()
    .regex(/^\d{3}(-\d{3})?$/, 'Use a code like 200 or a range like 200-299')
    .transform((s) => {
      const [a, b] = s.split("-").map(Number);
      return b === undefined ? a! : { from: a!, to: b };
    }),
  z.object({ from: z.number().int().min(100).max(599), to: z.number().int().min(100).max(599) }),
]);

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const MONITOR_LIMITS = { minInterval: 30, maxInterval: 86_400, minTimeout: 500, maxTimeout: 60_000 } as const;

export const monitorInputSchema = z
  .object({
    name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(120, "Name must be at most 120 characters"),
    type: z.enum(["http", "tcp", "ssl", "dns", "heartbeat"], { error: "Type must be one of http, tcp, ssl, dns, heartbeat" }),
    url: z.string().trim().max(2048, "URL is too long").optional(),
    host: z.string().trim().max(253, "Host is too long").optional(),
    port: z.coerce.number({ error: "Port must be a number" }).int("Port must be a whole number").min(1, "Port must be 1-65535").max(65535, "Port must be 1-65535").optional(),
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], { error: "Unsupported HTTP method" }).default("GET"),
    headers: z
      .record(z.string().regex(headerName, "Header names may contain letters, digits and -"), z.string().max(4096, "Header value is too long"))
      .default({}),
    body: z.string().max(65_536, "Body must be at most 64 KiB").optional(),
    authType: z.enum(["none", "basic", "bearer"]).default("none"),
    authUsername: z.string().max(256).optional(),
    authPassword: z.string().max(1024).optional(),
    authToken: z.string().max(4096).optional(),
    followRedirects: z.boolean().default(true),
    expectedStatus: z.array(statusEntry).max(20, "At most 20 status entries").default([{ from: 200, to: 299 }]),
    keyword: z.string().max(1024, "Keyword is too long").optional(),
    keywordAbsent: z.boolean().default(false),
    jsonPath: z.string().max(512, "JSON path is too long").optional(),
    jsonExpected: z.string().max(1024, "Expected value is too long").optional(),
    jsonMatch: z.enum(["equals", "contains"]).default("equals"),
    degradedAboveMs: z.coerce.number().int().min(1, "Must be at least 1 ms").max(60_000).optional(),
    sslExpiryDays: z.coerce.number().int().min(0).max(365).default(0),
    hostname: z.string().trim().max(253).optional(),
    recordType: z.enum(["A", "AAAA", "CNAME", "MX", "TXT", "NS"]).default("A"),
    expected: z.array(z.string().trim().min(1).max(512)).max(20).default([]),
    resolver: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F:.[\]]+$/, "Resolver must be an IP address, optionally with :port")
      .optional(),
    expiryThresholdDays: z.coerce.number().int().min(0).max(365).default(14),
    heartbeatGraceSeconds: z.coerce.number().int().min(0, "Grace must be 0 or more seconds").max(86_400).default(60),
    intervalSeconds: z.coerce
      .number({ error: "Interval must be a number of seconds" })
      .int()
      .min(MONITOR_LIMITS.minInterval, `Interval must be at least ${MONITOR_LIMITS.minInterval} seconds`)
      .max(MONITOR_LIMITS.maxInterval, "Interval must be at most 24 hours (86400 seconds)")
      .default(60),
    timeoutMs: z.coerce.number().int().min(MONITOR_LIMITS.minTimeout, "Timeout must be at least 500 ms").max(MONITOR_LIMITS.maxTimeout, "Timeout must be at most 60000 ms").default(10_000),
    confirmations: z.coerce.number().int().min(1, "At least 1").max(10, "At most 10").default(2),
    recoveries: z.coerce.number().int().min(1, "At least 1").max(10, "At most 10").default(1),
    regions: z.array(z.string().regex(/^[a-z0-9-]{1,32}$/, "Region names are lowercase letters, digits and -")).min(1, "Pick at least one region").max(10).default(["default"]),
    quorum: z.coerce.number().int().min(1).max(10).optional(),
    /** Channels alerted for this monitor; absent or null = the organization's default channels, [] = none. */
    channelIds: z.array(z.uuid({ error: "Each channel id must be a UUID" })).max(50, "At most 50 channels").nullable().optional(),
    /** Re-alert while still DOWN every N minutes (null = no reminders), at most reminderMax times. */
    reminderIntervalMinutes: z.coerce.number().int().min(1, "Reminders at most every minute").max(1440, "Reminders at least once a day").nullable().optional(),
    reminderMax: z.coerce.number().int().min(1, "At least 1").max(100, "At most 100").default(3),
    /** Hold the recovery alert this long; a relapse within it sends neither. */
    recoveryDelaySeconds: z.coerce.number().int().min(0, "0 or more seconds").max(3600, "At most 3600 seconds").default(0),
    paused: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
    if (v.type === "http") {
      if (!v.url) need("url", "URL is required for an HTTP monitor");
      else {
        let u: URL | null = null;
        try {
          u = new URL(v.url);
        } catch {
          need("url", "Enter a full URL such as https://example.com/health");
        }
        if (u && u.protocol !== "http:" && u.protocol !== "https:") need("url", "Only http:// and https:// URLs can be monitored");
        if (u && (u.username || u.password)) need("url", "Put credentials in the authentication fields, not in the URL");
      }
      if (v.authType === "basic" && !v.authUsername) need("authUsername", "Username is required for basic authentication");
      if (v.authType === "bearer" && !v.authToken) need("authToken", "Token is required for bearer authentication");
      if ((v.jsonPath && v.jsonExpected === undefined) || (!v.jsonPath && v.jsonExpected)) need("jsonPath", "Give both a JSON path and the expected value");
      if (v.body && (v.method === "GET" || v.method === "HEAD")) need("body", `A ${v.method} request cannot have a body`);
    }
    if (v.type === "tcp" || v.type === "ssl") {
      if (!v.host) need("host", "Host is required");
      if (v.type === "tcp" && !v.port) need("port", "Port is required for a TCP monitor");
    }
    if (v.type === "dns" && !v.hostname && !v.host) need("hostname", "Hostname to resolve is required");
    if (v.type === "dns" && v.resolver && !parseResolver(v.resolver)) need("resolver", 'Resolver must be an IP address: "1.1.1.1", "1.1.1.1:53", "2606:4700::1111" or "[2606:4700::1111]:53"');
    if (v.timeoutMs > v.intervalSeconds * 1000) need("timeoutMs", "Timeout must be shorter than the interval");
    if (v.quorum !== undefined && v.quorum > v.regions.length) need("quorum", "Quorum cannot exceed the number of regions");
    if (new Set(v.regions).size !== v.regions.length) need("regions", "Each region only once");
  });

export type MonitorInput = z.input<typeof monitorInputSchema>;
export type MonitorData = z.output<typeof monitorInputSchema>;

/** PATCH: any subset; the merged result is validated with the full schema. */
export const monitorPatchSchema = z.record(z.string(), z.unknown());
