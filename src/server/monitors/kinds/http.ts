import { z } from "zod";
import { httpExecutor } from "../../checks/executors/http";
import type { HttpConfig, StatusRange } from "../../checks/types";
import { type MonitorSecrets, bool, compact, defineKind, num, str } from "./kind";

const statusEntry = z.union([
  z.number().int().min(100).max(599),
  z
    .string()
    .regex(/^\d{3}(-\d{3})?$/, "Use a code like 200 or a range like 200-299")
    .transform((s) => {
      const [a, b] = s.split("-").map(Number);
      return b === undefined ? a! : { from: a!, to: b };
    }),
  z.object({ from: z.number().int().min(100).max(599), to: z.number().int().min(100).max(599) }),
]);

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const MASK = "••••••";

type Secrets = { headers?: Record<string, string>; body?: string; authUsername?: string; authPassword?: string; authToken?: string };

/**
 * The request body is sealed with the other secrets (it often carries a token or credentials).
 * Monitors saved before it was have it in plain config: read from there until their next save
 * moves it into the sealed secrets.
 */
const bodyOf = (c: Record<string, unknown>, s: Secrets): string | undefined => s.body ?? str(c.body);

/** HTTP(S): status code, keyword or JSON value of a URL. */
export const http = defineKind({
  type: "http",
  label: "HTTP",
  fields: {
    url: z.string().trim().max(2048, "URL is too long").optional(),
    method: z.enum(METHODS, { error: "Unsupported HTTP method" }).default("GET"),
    headers: z.record(z.string().regex(headerName, "Header names may contain letters, digits and -"), z.string().max(4096, "Header value is too long")).default({}),
    body: z.string().max(65_536, "Body must be at most 64 KiB").optional(),
    authType: z.enum(["none", "basic", "bearer"]).default("none"),
    authUsername: z.string().max(256).optional(),
    authPassword: z.string().max(1024).optional(),
    authToken: z.string().max(4096).optional(),
    followRedirects: z.boolean().default(true),
    expectedStatus: z
      .array(statusEntry)
      .max(20, "At most 20 status entries")
      .default([{ from: 200, to: 299 }]),
    keyword: z.string().max(1024, "Keyword is too long").optional(),
    keywordAbsent: z.boolean().default(false),
    jsonPath: z.string().max(512, "JSON path is too long").optional(),
    jsonExpected: z.string().max(1024, "Expected value is too long").optional(),
    jsonMatch: z.enum(["equals", "contains"]).default("equals"),
    degradedAboveMs: z.coerce.number().int().min(1, "Must be at least 1 ms").max(60_000).optional(),
    sslExpiryDays: z.coerce.number().int().min(0).max(365).default(0),
  },
  refine(v, need) {
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
  },
  secretFields: ["body", "authPassword", "authToken"],
  split(d) {
    const secrets: Secrets = {};
    if (Object.keys(d.headers).length) secrets.headers = d.headers;
    if (d.body) secrets.body = d.body;
    if (d.authType === "basic") Object.assign(secrets, { authUsername: d.authUsername, authPassword: d.authPassword ?? "" });
    if (d.authType === "bearer") secrets.authToken = d.authToken;
    return {
      config: {
        url: d.url,
        method: d.method,
        hasBody: d.body ? true : undefined,
        authType: d.authType,
        headerNames: Object.keys(d.headers),
        followRedirects: d.followRedirects,
        expectedStatus: d.expectedStatus,
        keyword: d.keyword || undefined,
        keywordAbsent: d.keywordAbsent,
        jsonPath: d.jsonPath || undefined,
        jsonExpected: d.jsonExpected,
        jsonMatch: d.jsonMatch,
        degradedAboveMs: d.degradedAboveMs,
        sslExpiryDays: d.sslExpiryDays,
      },
      secrets: Object.keys(secrets).length ? secrets : null,
    };
  },
  toInput(c, secrets) {
    const s = secrets() as Secrets;
    return compact({
      url: c.url,
      method: c.method,
      headers: s.headers,
      body: bodyOf(c, s),
      authType: c.authType,
      authUsername: s.authUsername,
      authPassword: s.authPassword,
      authToken: s.authToken,
      followRedirects: c.followRedirects,
      expectedStatus: c.expectedStatus,
      keyword: c.keyword,
      keywordAbsent: c.keywordAbsent,
      jsonPath: c.jsonPath,
      jsonExpected: c.jsonExpected,
      jsonMatch: c.jsonMatch,
      degradedAboveMs: c.degradedAboveMs,
      sslExpiryDays: c.sslExpiryDays,
    });
  },
  check: {
    toExecutable(c, secrets, timeoutMs): HttpConfig {
      const s = secrets() as Secrets;
      const auth: HttpConfig["auth"] =
        c.authType === "basic" ? { kind: "basic", username: s.authUsername ?? "", password: s.authPassword ?? "" } : c.authType === "bearer" ? { kind: "bearer", token: s.authToken ?? "" } : undefined;
      return {
        type: "http",
        url: str(c.url) ?? "",
        method: (c.method as HttpConfig["method"] | undefined) ?? "GET",
        headers: s.headers ?? {},
        body: bodyOf(c, s),
        auth,
        followRedirects: bool(c.followRedirects) ?? true,
        expectedStatus: (c.expectedStatus as StatusRange[] | undefined) ?? [{ from: 200, to: 299 }],
        keyword: str(c.keyword),
        keywordAbsent: bool(c.keywordAbsent),
        jsonPath: str(c.jsonPath),
        jsonExpected: str(c.jsonExpected),
        jsonMatch: c.jsonMatch as HttpConfig["jsonMatch"],
        degradedAboveMs: num(c.degradedAboveMs),
        sslExpiryDays: num(c.sslExpiryDays),
        timeoutMs,
      };
    },
    execute: httpExecutor,
  },
  // Scheme, host and path: never credentials, and not the query, which may carry a token.
  target(c) {
    if (typeof c.url !== "string") return null;
    try {
      const u = new URL(c.url);
      return `${u.protocol}//${u.host}${u.pathname}`;
    } catch {
      return null;
    }
  },
  targets(d, check) {
    if (d.url) check(d.url, "url");
  },
  form: {
    title: "HTTP(S)",
    description: "Status code, keyword or JSON value of a URL",
    namePlaceholder: "Checkout API",
    testable: true,
    fields: [
      { name: "url", label: "URL", control: "url", required: true, placeholder: "https://example.com/health", hint: "http:// or https://, with the path to check" },
      { name: "method", label: "Method", control: "select", options: METHODS, default: "GET", row: "method" },
      { name: "expectedStatus", label: "Expected status codes", control: "codes", default: "200-299", hint: "Codes and ranges, e.g. 200-299, 301", row: "method" },
      {
        name: "body",
        label: "Request body",
        control: "textarea",
        secret: true,
        hint: "Sealed like headers: once saved it shows as ••••••; leave that to keep it",
        when: { field: "method", notIn: ["GET", "HEAD"] },
      },
      { name: "keyword", label: "Keyword", control: "text", section: "checks", hint: "Case-sensitive text the body must contain", row: "keyword" },
      { name: "keywordAbsent", label: "Alert when the keyword is present", control: "checkbox", section: "checks", hint: "For error pages: DOWN when the text appears", row: "keyword" },
      { name: "jsonPath", label: "JSON path", control: "text", section: "checks", placeholder: "$.status", row: "json" },
      { name: "jsonMatch", label: "Match", control: "select", options: ["equals", "contains"], default: "equals", section: "checks", row: "json" },
      { name: "jsonExpected", label: "Expected JSON value", control: "text", section: "checks", placeholder: "ok", row: "json" },
      { name: "degradedAboveMs", label: "Degraded above (ms)", control: "number", min: 1, max: 60000, section: "checks", hint: "Slower responses mark the monitor DEGRADED", row: "limits" },
      { name: "sslExpiryDays", label: "Certificate expiry alert (days)", control: "number", min: 0, max: 365, default: 0, section: "checks", hint: "https only; 0 turns it off", row: "limits" },
      { name: "followRedirects", label: "Follow redirects (up to 5)", control: "checkbox", default: true, section: "checks" },
      { name: "headers", label: "Headers", control: "headers", section: "advanced" },
      {
        name: "authType",
        label: "Authentication",
        control: "select",
        options: [
          ["none", "None"],
          ["basic", "Basic (username and password)"],
          ["bearer", "Bearer token"],
        ],
        default: "none",
        section: "advanced",
      },
      { name: "authUsername", label: "Username", control: "text", section: "advanced", when: { field: "authType", in: ["basic"] }, row: "basic" },
      { name: "authPassword", label: "Password", control: "password", secret: true, section: "advanced", when: { field: "authType", in: ["basic"] }, row: "basic" },
      { name: "authToken", label: "Token", control: "password", secret: true, section: "advanced", when: { field: "authType", in: ["bearer"] } },
    ],
  },
  view: {
    url: z.string().optional(),
    method: z.string().optional(),
    headers: z.record(z.string(), z.string()).describe("Header names; values are write-only and shown masked"),
    body: z.string().optional().describe("Write-only: shown masked when set"),
    authType: z.string(),
    authUsername: z.string().optional(),
    followRedirects: z.boolean().optional(),
    expectedStatus: z.unknown().optional(),
    keyword: z.string().optional(),
    keywordAbsent: z.boolean().optional(),
    jsonPath: z.string().optional(),
    jsonExpected: z.string().optional(),
    jsonMatch: z.string().optional(),
    degradedAboveMs: z.number().optional(),
    sslExpiryDays: z.number().optional(),
  },
  toView(_m, c, secrets) {
    // Only basic auth shows something from the sealed secrets (the username); header names are in config.
    const s: MonitorSecrets = c.authType === "basic" ? secrets() : {};
    // Listing monitors decrypts nothing for the body: config records that one is set.
    const hasBody = c.hasBody === true || typeof c.body === "string";
    const headerNames = (c.headerNames as string[] | undefined) ?? [];
    return {
      url: str(c.url),
      method: str(c.method),
      // Header names are shown; values may be secrets and are masked.
      headers: Object.fromEntries(headerNames.map((k) => [k, MASK])),
      body: hasBody ? MASK : undefined,
      authType: str(c.authType) ?? "none",
      authUsername: str(s.authUsername),
      followRedirects: bool(c.followRedirects),
      expectedStatus: c.expectedStatus,
      keyword: str(c.keyword),
      keywordAbsent: bool(c.keywordAbsent),
      jsonPath: str(c.jsonPath),
      jsonExpected: str(c.jsonExpected),
      jsonMatch: str(c.jsonMatch),
      degradedAboveMs: num(c.degradedAboveMs),
      sslExpiryDays: num(c.sslExpiryDays),
    };
  },
});
