import { defineConfig } from "@playwright/test";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { billingServerPaths } from "./tests/e2e/billing-server";

// Decided once in the main process; workers inherit the environment.
process.env.E2E_PORT ??= "3210";
process.env.E2E_SMTP_PORT ??= "2526";
process.env.E2E_DB_NAME ??= `perigee_e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
process.env.E2E_MAIL_DIR ??= path.join(os.tmpdir(), `perigee-e2e-mail-${randomBytes(4).toString("hex")}`);
process.env.E2E_REDIS_PREFIX ??= `perigee-e2e-${randomBytes(4).toString("hex")}:`;
// The billing specs run against a second app with billing ON (Stripe stub); every other spec
// relies on billing being off (no plan limits), so the two never share a server.
process.env.E2E_BILLING_PORT ??= "3211";
process.env.E2E_BILLING_SMTP_PORT ??= "2527";

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
const billingURL = `http://127.0.0.1:${process.env.E2E_BILLING_PORT}`;
const BILLING_SPECS = /billing[^/]*\.spec\.ts$/;

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // Two: most of a browser test is waiting for checks; each test signs up its own account.
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [["list"]],
  globalTeardown: "./tests/e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "default", testIgnore: BILLING_SPECS },
    { name: "billing", testMatch: BILLING_SPECS, use: { baseURL: billingURL } },
  ],
  webServer: [
    // Listed first and without a url: Playwright starts it and moves on, so it boots while the
    // main server does; the billing specs wait for its health themselves (tests/e2e/billing-server.ts).
    {
      command: "node --import tsx tests/e2e/server.ts",
      env: {
        E2E_BILLING: "1",
        E2E_PORT: process.env.E2E_BILLING_PORT,
        E2E_SMTP_PORT: process.env.E2E_BILLING_SMTP_PORT,
        ...billingServerPaths(),
      },
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "node --import tsx tests/e2e/server.ts",
      url: `${baseURL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
