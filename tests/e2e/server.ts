/**
 * The app as the browser tests see it: a fresh migrated database, its own Redis prefix,
 * a real SMTP server writing each message to E2E_MAIL_DIR, the production build served by
 * workers/web.ts, and the worker (checks, heartbeats, maintenance) in the same process.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { runMigrations } from "../../src/server/db/migrate";
import { BASE_DATABASE_URL, withDatabase } from "../helpers/test-db";
import { startStripeStub } from "../helpers/stripe-stub";
import { TEST_SECRETS } from "../helpers/test-secrets";
import pg from "pg";

async function main() {
  const dbName = process.env.E2E_DB_NAME!;
  const mailDir = process.env.E2E_MAIL_DIR!;
  mkdirSync(mailDir, { recursive: true });

  const admin = new pg.Client({ connectionString: withDatabase(BASE_DATABASE_URL, "postgres") });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  await admin.end();
  const url = withDatabase(BASE_DATABASE_URL, dbName);
  await runMigrations(url);

  let n = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to.map((t) => t.text).join(",") : (m.to?.text ?? "");
          writeFileSync(path.join(mailDir, `${Date.now()}-${n++}.json`), JSON.stringify({ to, subject: m.subject, text: m.text, html: m.html }));
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(Number(process.env.E2E_SMTP_PORT), "127.0.0.1", r));

  // The billing app (E2E_BILLING=1, tests/e2e/billing*.spec.ts): billing on, against a Stripe stub in this process.
  const billing = process.env.E2E_BILLING === "1" ? await billingEnv() : {};

  Object.assign(process.env, TEST_SECRETS, billing, {
    NODE_ENV: "production",
    PORT: process.env.E2E_PORT,
    HOST: "127.0.0.1",
    APP_URL: `http://127.0.0.1:${process.env.E2E_PORT}`,
    DATABASE_URL: url,
    REDIS_PREFIX: process.env.E2E_REDIS_PREFIX,
    SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT}`,
    LOG_LEVEL: "warn",
    // Browser tests monitor targets they start on loopback.
    ALLOW_PRIVATE_TARGETS: "true",
    // Every spec signs up from 127.0.0.1.
    SIGNUP_LIMIT_PER_IP: "1000",
  });
  await import("../../workers/web");
  const { startWorker } = await import("../../workers/worker");
  const worker = await startWorker();

  // The teardown sends SIGTERM and waits for this process to exit before it drops the
  // database: stop the worker first (it would otherwise query a database being dropped),
  // then let the web server close as it does in production.
  const webStops = process.listeners("SIGTERM");
  process.removeAllListeners("SIGTERM");
  process.once("SIGTERM", () => {
    void worker.stop().finally(() => {
      for (const l of webStops) (l as (s: NodeJS.Signals) => void)("SIGTERM");
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  });
  writeFileSync(`${mailDir}.pid`, String(process.pid));
}

async function billingEnv(): Promise<Record<string, string>> {
  const stub = await startStripeStub();
  const prices = Object.fromEntries(
    ["STARTER", "PRO", "BUSINESS"].flatMap((plan) => [
      [`STRIPE_PRICE_${plan}_MONTHLY`, `price_e2e_${plan.toLowerCase()}_monthly`],
      [`STRIPE_PRICE_${plan}_YEARLY`, `price_e2e_${plan.toLowerCase()}_yearly`],
    ]),
  );
  return { STRIPE_SECRET_KEY: "sk_test_perigee_e2e", STRIPE_WEBHOOK_SECRET: "whsec_perigee_e2e", STRIPE_API_URL: stub.url, ...prices };
}

main().catch((e) => {
  console.error("e2e server failed", e);
  process.exit(1);
});
