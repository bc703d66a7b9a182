import { expect, test } from "@playwright/test";
import { waitForBillingServer } from "./billing-server";

/**
 * Settings → Billing on an install with billing ON (the "billing" project's server, whose
 * Stripe is a stub in the server's process): usage against the Free plan, Upgrade reaching
 * Stripe Checkout, and Manage billing reaching the Customer Portal once a customer exists.
 */
const PASSWORD = "e2e passphrase that is long";
const unique = () => Math.random().toString(36).slice(2, 8);

test.beforeAll(async () => {
  await waitForBillingServer(test.info().project.use.baseURL!);
});

test("the billing page shows usage; Upgrade opens Stripe Checkout; Manage billing opens the portal", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Bill Ing");
  await page.getByLabel("Work email").fill(`billing-${unique()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(`Paying Co ${unique()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  // One monitor, at an interval the Free plan allows.
  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Shop");
  await page.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/");
  await page.getByLabel(/^Interval/).selectOption("300");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page).toHaveURL(/\/settings\/billing$/);
  await expect(page.getByTestId("current-plan")).toContainText("Free");
  await expect(page.getByTestId("usage-monitors")).toContainText("1 of 10");
  await expect(page.getByRole("meter", { name: /Monitors/ })).toHaveAttribute("value", "1");
  await expect(page.getByText("14-day free trial")).toBeVisible();
  // No customer yet: nothing to manage.
  await expect(page.getByRole("button", { name: "Manage billing" })).toHaveCount(0);

  await page.getByRole("button", { name: "Upgrade monthly to Starter" }).click();
  await expect(page).toHaveURL(/\/checkout\/cs_[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: "Stripe stub checkout" })).toBeVisible();

  // Back without paying: the customer now exists, so the portal is one click away.
  await page.goto("/settings/billing?checkout=cancelled");
  await expect(page.getByText("Checkout was cancelled")).toBeVisible();
  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page).toHaveURL(/\/portal\/bps_[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: "Stripe stub portal" })).toBeVisible();

  // On a phone the page reflows instead of scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/settings/billing");
  await expect(page.getByTestId("usage-monitors")).toBeVisible();
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
});

test("the dashboard refuses what the Free plan does not allow, in the plan's words, with a link to upgrade", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Lim It");
  await page.getByLabel("Work email").fill(`limits-${unique()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(`Frugal Co ${unique()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  // An interval below the Free plan's 180 s: refused, nothing created.
  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Too eager");
  await page.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/");
  await page.getByLabel(/^Interval/).selectOption("60");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Free plan" })).toContainText(/180 seconds/);
  await expect(page.getByTestId("upgrade-link").first()).toHaveAttribute("href", "/settings/billing");
  await expect(page).toHaveURL(/\/monitors\/new$/);

  // The Free plan's one status page exists; a second is refused.
  await page.goto("/status-pages");
  for (const name of ["First status", "Second status"]) {
    const form = page.getByTestId("new-page-form");
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Slug").fill(`${name.split(" ")[0]!.toLowerCase()}-${unique()}`);
    await form.getByLabel("Time zone").fill("UTC");
    await form.getByRole("button", { name: "Create status page" }).click();
    if (name === "First status") {
      await expect(page).toHaveURL(/\/status-pages\/[0-9a-f-]{36}$/);
      await page.goto("/status-pages");
    }
  }
  const refusal = page.getByTestId("new-page-form").getByRole("alert").filter({ hasText: "Free plan" });
  await expect(refusal).toContainText(/1 status page/);
  await refusal.getByTestId("upgrade-link").click();
  await expect(page).toHaveURL(/\/settings\/billing$/);
});
