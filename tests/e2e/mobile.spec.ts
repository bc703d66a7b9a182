import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";

/**
 * The dashboard on a phone (390×844): the navigation folds behind a Menu button, pages never
 * scroll sideways, tables reflow, and the response chart keeps a readable height.
 */
const PASSWORD = "e2e passphrase that is long";
const unique = () => Math.random().toString(36).slice(2, 8);

test.use({ viewport: { width: 390, height: 844 } });

function startTarget(port = 0): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<h1>Welcome</h1>");
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
const stop = (s: http.Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

async function expectNoSidewaysScroll(page: Page, url: string) {
  await page.goto(url);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${url} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
}

test("on a phone: the menu folds away, pages do not scroll sideways, the chart stays readable, an incident is acknowledged", async ({ page }) => {
  test.setTimeout(240_000);
  const target = await startTarget();
  const port = (target.address() as AddressInfo).port;

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Pho Ne");
  await page.getByLabel("Work email").fill(`phone-${unique()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(`Pocket Ops ${unique()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  // The navigation is hidden until the Menu button opens it; a link closes it again.
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByTestId("menu-button");
  await expect(menu).toBeVisible();
  await expect(nav).toBeHidden();
  await menu.click();
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Incidents" }).click();
  await expect(page).toHaveURL(/\/incidents$/);
  await expect(page.getByRole("heading", { name: "Incidents", exact: true })).toBeVisible();
  await expect(nav).toBeHidden();
  await menu.click();
  await nav.getByRole("link", { name: "Monitors" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Pocket shop with a rather long name to wrap");
  await page.getByLabel("URL", { exact: true }).fill(`http://127.0.0.1:${port}/a/long/path/that/should/not/widen/the/page/on/a/phone`);
  await page.getByLabel(/^Interval/).selectOption("30");
  await page.getByLabel(/^Confirmations/).fill("1");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  const monitorUrl = new URL(page.url()).pathname;

  // The chart draws its phone plot, tall enough to read.
  await expect(page.getByTestId("monitor-state").first()).toHaveText("UP", { timeout: 75_000 });
  await page.reload();
  const chart = page.locator(".chart svg:visible");
  await expect(chart).toHaveCount(1);
  const box = await chart.boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(150);
  expect(box!.width).toBeLessThanOrEqual(390);

  // An incident, acknowledged from the phone.
  await stop(target);
  await expect(page.getByTestId("monitor-state").first()).toHaveText("DOWN", { timeout: 75_000 });
  await page.goto("/incidents?state=open");
  const row = page.getByTestId("org-incident").first();
  await expect(row).toContainText("Pocket shop");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("org-incident")).toHaveCount(0);
  await page.goto("/incidents?state=acknowledged");
  await expect(page.getByTestId("org-incident").first()).toContainText(/Acknowledged by Pho Ne/);
  await page
    .getByTestId("org-incident")
    .first()
    .getByRole("link", { name: /Pocket shop/ })
    .click();
  await expect(page).toHaveURL(/\/incidents\/[0-9a-f-]{36}$/);
  const incidentUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId("timeline")).toContainText(/Acknowledged by Pho Ne/);
  await page.getByLabel("Internal note").fill("Restarting the shop server.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("timeline")).toContainText("Restarting the shop server.");

  for (const url of [
    "/monitors",
    "/monitors/new",
    monitorUrl,
    `${monitorUrl}/edit`,
    "/incidents",
    incidentUrl,
    "/maintenance",
    "/status-pages",
    "/notifications",
    "/settings/account",
    "/settings/organization",
    "/settings/billing",
    "/settings/security",
    "/settings/members",
    "/settings/api-keys",
    "/settings/audit-log",
  ]) {
    await expectNoSidewaysScroll(page, url);
  }
});
