import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { expect, test } from "@playwright/test";

const PASSWORD = "e2e passphrase that is long";

test("Settings → Account → Export my data downloads the JSON document with the monitor", async ({ page }) => {
  const email = `export-${Date.now()}@example.test`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Ex Porter");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill("Export Ops");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Exported homepage");
  await page.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  const monitorId = /\/monitors\/([0-9a-f-]{36})$/.exec(page.url())![1];

  await page.getByRole("link", { name: "Account", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Export my data" })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export my data" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^perigee-export-\d{4}-\d\d-\d\d\.json\.gz$/);
  const doc = JSON.parse(gunzipSync(await readFile((await download.path())!)).toString("utf8")) as {
    schemaVersion: number;
    user: { email: string };
    memberships: { name: string; role: string; exported: boolean }[];
    organizations: { name: string; monitors: { id: string; name: string }[] }[];
  };
  expect(doc.schemaVersion).toBe(1);
  expect(doc.user.email).toBe(email);
  expect(doc.memberships).toEqual([expect.objectContaining({ name: "Export Ops", role: "ADMIN", exported: true })]);
  expect(doc.organizations[0]!.monitors).toEqual([expect.objectContaining({ id: monitorId, name: "Exported homepage" })]);
});
