import { expect } from "@playwright/test";

/**
 * The billing app's own database, outbox and Redis prefix, derived from the main server's so the
 * global teardown finds and removes them too.
 */
export function billingServerPaths(): { E2E_DB_NAME: string; E2E_MAIL_DIR: string; E2E_REDIS_PREFIX: string } {
  return {
    E2E_DB_NAME: `${process.env.E2E_DB_NAME}_billing`,
    E2E_MAIL_DIR: `${process.env.E2E_MAIL_DIR}-billing`,
    E2E_REDIS_PREFIX: `${process.env.E2E_REDIS_PREFIX!.replace(/:$/, "")}-billing:`,
  };
}

/** Waits until the billing app answers its health check (Playwright does not wait for it: it boots beside the main one). */
export async function waitForBillingServer(baseURL: string): Promise<void> {
  await expect
    .poll(
      async () => {
        try {
          return (await fetch(`${baseURL}/api/health`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 120_000, intervals: [250, 500, 1000], message: `the billing e2e server at ${baseURL} did not start` },
    )
    .toBe(200);
}
