import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The one place the environment is read. Web, worker, CLI and tests all import it,
 * so a bad setting fails the same way everywhere, naming the variable.
 */

const LOCAL_SECRETS_FILE = path.join(process.cwd(), ".perigee", "local.env");

function loadFile(file: string) {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line.trim());
    if (!m || !m[1] || process.env[m[1]] !== undefined) continue;
    const v = m[2] ?? "";
    process.env[m[1]] = /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
  }
}

// .env for every process (the CLI and worker too, not only Next), then the secrets the
// first `npm start` generated on a machine without any — never in production.
function loadEnvFiles() {
  loadFile(path.join(process.cwd(), ".env"));
  if (process.env.NODE_ENV !== "production") loadFile(LOCAL_SECRETS_FILE);
}

const WEAK = new Set(["changeme", "change-me", "secret", "password", "replace-me", "development"]);

const secret = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .min(32, `${name} must be at least 32 characters (generate one with: openssl rand -base64 32)`)
    .refine((v) => !WEAK.has(v.toLowerCase()) && !/^(.)\1+$/.test(v), `${name} is a placeholder or too weak`);

const base64Key = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .refine((v) => Buffer.from(v, "base64").length === 32, `${name} must be 32 bytes, base64-encoded (openssl rand -base64 32)`);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.url({ error: "APP_URL must be an absolute URL such as https://status.example.com" }).optional(),
  DATABASE_URL: z.string().default("postgres://postgres@127.0.0.1:5432/perigee"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().default("perigee:"),
  AUTH_SECRET: secret("AUTH_SECRET"),
  ENCRYPTION_KEY: base64Key("ENCRYPTION_KEY"),
  ENCRYPTION_KEY_ID: z.string().regex(/^[a-z0-9]{1,16}$/, "ENCRYPTION_KEY_ID must be 1-16 lowercase letters/digits").default("k1"),
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
  WORKER_REGION: z.string().regex(/^[a-z0-9-]{1,32}$/).default("default"),
  CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(200),
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
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema> & { APP_URL: string };

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty value (KEY= in .env) means "not set", so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  const e = result.data;
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
