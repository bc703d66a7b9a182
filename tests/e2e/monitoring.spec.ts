import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";

const PASSWORD = "e2e passphrase that is long";

function startTarget(port = 0): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<h1>Welcome to the shop</h1>");
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
const stop = (s: http.Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

test("an HTTP monitor on a local target goes UP, DOWN with an incident, and recovers", async ({ page }) => {
  test.setTimeout(300_000);
  let target = await startTarget();
  const port = (target.address() as AddressInfo).port;

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Mo Nitor");
  await page.getByLabel("Work email").fill(`mon-${Date.now()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill("Shop Ops");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Shop homepage");
  await page.getByLabel("URL", { exact: true }).fill(`http://127.0.0.1:${port}/`);
  await page.getByLabel(/^Keyword/).fill("Welcome");
  await page.getByLabel(/^Interval/).selectOption("30");
  await page.getByLabel(/^Confirmations/).fill("1");

  // "Test now" runs the check before saving.
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByTestId("test-result")).toContainText(/UP/i);
  await expect(page.getByTestId("test-result")).toContainText("200");

  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  const state = page.getByTestId("monitor-state").first();
  await expect(state).toHaveText("UP", { timeout: 75_000 });

  await stop(target);
  await expect(state).toHaveText("DOWN", { timeout: 75_000 });
  const incidents = page.getByTestId("incidents");
  await expect(incidents.getByTestId("incident").first()).toContainText(/ongoing/i);
  await expect(incidents).toContainText(/refused|ECONNREFUSED/i);

  target = await startTarget(port);
  await expect(state).toHaveText("UP", { timeout: 75_000 });
  await expect(incidents.getByTestId("incident").first()).not.toContainText(/ongoing/i);

  await page.goto("/monitors");
  const row = page.locator('[data-testid="monitor-row"][data-monitor-name="Shop homepage"]');
  await expect(row.getByTestId("monitor-state")).toHaveText("UP");
  await stop(target);
});

test("Redis and PostgreSQL monitors are created from their fieldsets in the form and go UP", async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Kai Nds");
  await page.getByLabel("Work email").fill(`kinds-${Date.now()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill("Data Ops");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  // Redis: the local server, no password.
  await page.goto("/monitors/new");
  await page.locator(".type-option", { hasText: "A server answers PING" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Session cache");
  await page.getByLabel("Host", { exact: true }).fill("127.0.0.1");
  await expect(page.getByLabel("Port", { exact: true })).toHaveValue("6379");
  await page.getByLabel(/^Interval/).selectOption("30");
  await page.getByLabel(/^Confirmations/).fill("1");
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByTestId("test-result")).toContainText(/UP/i);
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  await expect(page.locator(".monitor-target")).toContainText("127.0.0.1:6379");
  await expect(page.getByTestId("monitor-state").first()).toHaveText("UP", { timeout: 75_000 });

  // PostgreSQL: the local server (trust auth), TLS off, a query that returns a row.
  await page.goto("/monitors/new");
  await page.locator(".type-option", { hasText: "A database accepts a session" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Orders database");
  await page.getByLabel("Host", { exact: true }).fill("127.0.0.1");
  await expect(page.getByLabel("Port", { exact: true })).toHaveValue("5432");
  await page.getByLabel("TLS", { exact: true }).selectOption("disable");
  await expect(page.getByLabel("CA certificate (optional)")).toHaveCount(0);
  await page.getByLabel("Query (optional)").fill("SELECT 1");
  await page.getByLabel(/^Interval/).selectOption("30");
  await page.getByLabel(/^Confirmations/).fill("1");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  await expect(page.locator(".monitor-target")).toContainText("127.0.0.1:5432/postgres");
  await expect(page.getByTestId("monitor-state").first()).toHaveText("UP", { timeout: 75_000 });

  await page.goto("/monitors");
  await expect(page.locator('[data-testid="monitor-row"][data-monitor-name="Session cache"]').getByTestId("monitor-state")).toHaveText("UP");
  await expect(page.locator('[data-testid="monitor-row"][data-monitor-name="Orders database"]')).toContainText("PostgreSQL");
});
