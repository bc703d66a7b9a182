import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The one place the environment is read. Web, worker, probe, CLI and tests all import it,
 * so a bad setting fails the same way everywhere, naming the variable.
 */

type Source = Record<string, string | undefined>;

/**
 * KEY=VALUE lines, optional quotes. A file never overrides a variable that is set, and an
 * empty value counts as unset on both sides: `AUTH_SECRET=` (as in .env.example) neither
 * blanks a variable nor keeps a later file from setting it.
 */
function loadEnvFile(file: string, target: Source = process.env) {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line.trim());
    if (!m || !m[1] || (target[m[1]] ?? "") !== "") continue;
    const raw = m[2] ?? "";
    const v = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
    if (v !== "") target[m[1]] = v;
  }
}

// .env for every process (the CLI and worker too, not only Next), then the secrets the
// first `npm start` generated on a machine without any — never in production.
export function loadEnvFiles(dir = process.cwd(), target: Source = process.env) {
  loadEnvFile(path.join(dir, ".env"), target);
  if (target.NODE_ENV !== "production") loadEnvFile(path.join(dir, ".perigee", "local.env"), target);
}

const WEAK = new Set(["changeme", "change-me", "secret", "password", "replace-me", "development"]);

const secret = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .min(32, `${name} must be at least 32 characters (generate one with: openssl rand -base64 32)`)
    .refine((v) => !WEAK.has(v.toLowerCase()) && !/^(.)\1+$/.test(v), `${name} is a placeholder or too weak`);

const base64Key = (name: string) =>
  z.string({ error: `${name} is required` }).refine((v) => Buffer.from(v, "base64").length === 32, `${name} must be 32 bytes, base64-encoded (openssl rand -base64 32)`);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url({ error: "APP_URL must be an absolute URL such as https://status.example.com" }).optional(),
  DATABASE_URL: z.string().default("postgres://postgres@127.0.0.1:5432/perigee"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().default("perigee:"),
  /**
   * Redis Cluster seed nodes, "host:port,host:port". Set: every connection is a cluster client
   * (REDIS_URL then gives only the user, password and TLS) and each BullMQ queue's keys carry
   * a hash tag of their own (ADR 14).
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .default("")
    .transform((v, ctx) =>
      v
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => {
          const m = /^(.+):(\d{1,5})$/.exec(n);
          if (!m) ctx.addIssue({ code: "custom", message: `REDIS_CLUSTER_NODES: "${n}" is not host:port` });
          return { host: m?.[1] ?? n, port: Number(m?.[2] ?? 0) };
        }),
    ),
  /**
   * "pgbouncer-transaction" when DATABASE_URL points at a pooler in transaction mode (PgBouncer
   * before 1.21 cannot keep named prepared statements there): queries go unnamed. Default:
   * direct, named statements kept for speed (ADR 14).
   */
  DATABASE_POOLER: z.enum(["none", "pgbouncer-transaction"]).default("none"),
  AUTH_SECRET: secret("AUTH_SECRET"),
  ENCRYPTION_KEY: base64Key("ENCRYPTION_KEY"),
  ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[a-z0-9]{1,16}$/, "ENCRYPTION_KEY_ID must be 1-16 lowercase letters/digits")
    .default("k1"),
  // Retired keys kept for decryption during rotation: "k0:BASE64,k-1:BASE64".
  ENCRYPTION_KEYS_RETIRED: z.string().default(""),
  SMTP_URL: z.string().default("smtp://127.0.0.1:1025"),
  MAIL_FROM: z.string().default("Perigee <no-reply@perigee.local>"),
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  // Self-hosted installs may monitor their own private network; the SaaS must not.
  ALLOW_PRIVATE_TARGETS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Region the worker runs checks for itself; remote probes serve the others. */
  WORKER_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/)
    .default("default"),
  CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(1000),
  /** How long a crashed worker's checks stay claimed before another worker re-runs them. */
  CHECK_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  CHECK_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(15_000),
  BCRYPT_COST: z.coerce.number().int().min(12, "BCRYPT_COST must be at least 12").max(15).default(12),
  // Notification providers. Base URLs are overridable (self-hosted gateways, and the tests'
  // loopback receivers); a channel may also set its own base URL.
  PAGERDUTY_API_URL: z.url().default("https://events.pagerduty.com"),
  OPSGENIE_API_URL: z.url().default("https://api.opsgenie.com"),
  OPSGENIE_EU_API_URL: z.url().default("https://api.eu.opsgenie.com"),
  TELEGRAM_API_URL: z.url().default("https://api.telegram.org"),
  TWILIO_API_URL: z.url().default("https://api.twilio.com"),
  /** Account-wide Twilio credentials used by SMS channels that do not bring their own. */
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  /** Delivery retries: first retry after about this long, doubling, capped at an hour. */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000),
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(50),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  /** REST API requests per key per minute. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Billing (Stripe). Off unless STRIPE_SECRET_KEY is set: then every organization is on the
  // "self-hosted" plan (billing/plans.ts) and nothing calls Stripe.
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** Where stripe-node sends requests (a Stripe-compatible stub in tests): protocol, host and port. */
  STRIPE_API_URL: z.url().default("https://api.stripe.com"),
  STRIPE_PRICE_STARTER_MONTHLY: z.string().optional(),
  STRIPE_PRICE_STARTER_YEARLY: z.string().optional(),
  STRIPE_PRICE_PRO_MONTHLY: z.string().optional(),
  STRIPE_PRICE_PRO_YEARLY: z.string().optional(),
  STRIPE_PRICE_BUSINESS_MONTHLY: z.string().optional(),
  STRIPE_PRICE_BUSINESS_YEARLY: z.string().optional(),
  BILLING_TRIAL_DAYS: z.coerce.number().int().min(0).max(90).default(14),
  /** Days a past_due subscription keeps its plan before the organization falls to free. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  // Privacy. Where the data lives (shown in the dashboard and in exports), how long a deleted
  // account or organization can be restored, and the self-hosted retention (plans set it otherwise).
  DATA_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, "DATA_REGION must be a short region name such as eu-central")
    .default("self-hosted"),
  /** Sign-ups accepted per client IP per hour (an office behind one NAT onboarding many may raise it). */
  SIGNUP_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100000).default(10),
  ERASURE_GRACE_DAYS: z.coerce.number().int().min(0).max(30).default(7),
  /** Self-hosted: days results, rollups, incidents and events are kept. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Days the audit log is kept (any plan). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /**
   * Maintenance jobs this install's workers do not schedule (comma-separated job names, e.g.
   * "retention,privacy-purge" where an external scheduler runs them instead).
   */
  MAINTENANCE_JOBS_OFF: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // The web entry (workers/web.ts): address to bind, processes sharing the port, and
  // PERIGEE_DEV=1 to serve `next dev` behind the same server.
  HOST: z.string().default("0.0.0.0"),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  PERIGEE_DEV: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
});

export type Env = z.infer<typeof schema> & { APP_URL: string };

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

function validate<S extends z.ZodType>(s: S, source: Source): z.infer<S> {
  // An empty value (KEY= in .env) means "not set", so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = s.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  return result.data;
}

export function parseEnv(source: Source): Env {
  const e = validate(schema, source);
  return { ...e, APP_URL: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "") };
}

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    loadEnvFiles();
    cached = parseEnv(process.env);
  }
  return cached;
}

/**
 * A remote probe's settings (workers/probe.ts). A probe holds no AUTH_SECRET or database, so
 * it is validated on its own; the shared settings keep the worker's defaults.
 */
const probeSchema = schema.pick({ REDIS_URL: true, REDIS_PREFIX: true, ALLOW_PRIVATE_TARGETS: true, CHECK_CONCURRENCY: true }).extend({
  PERIGEE_URL: z.url({ error: "PERIGEE_URL must be web's absolute URL, such as https://perigee.example.com" }).default("http://127.0.0.1:3000"),
  PROBE_ID: z.string({ error: "PROBE_ID is required (see README: Monitoring → probes)" }),
  PROBE_SECRET: z.string({ error: "PROBE_SECRET is required (see README: Monitoring → probes)" }),
  /** Allow an http:// PERIGEE_URL (local use only: the config it fetches carries monitor credentials). */
  PROBE_INSECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});

export type ProbeEnv = z.infer<typeof probeSchema>;

export function parseProbeEnv(source: Source): ProbeEnv {
  const e = validate(probeSchema, source);
  // The probe fetches monitor configs, credentials included, from PERIGEE_URL.
  if (new URL(e.PERIGEE_URL).protocol !== "https:" && !e.PROBE_INSECURE) {
    throw new EnvError([`PERIGEE_URL: must be an https:// URL (${e.PERIGEE_URL} would carry monitor credentials unencrypted); set PROBE_INSECURE=true to allow http:// for local use`]);
  }
  return { ...e, PERIGEE_URL: e.PERIGEE_URL.replace(/\/$/, "") };
}

export function probeEnv(): ProbeEnv {
  loadEnvFiles();
  return parseProbeEnv(process.env);
}
