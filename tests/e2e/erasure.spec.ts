import { expect, test } from "@playwright/test";
import { waitForMail } from "./mail";

const unique = () => Math.random().toString(36).slice(2, 8);
const PASSWORD = "e2e passphrase that is long";

test("sign up → delete my account → signed out, sign-in refused → restore from the mailed link → sign in works", async ({ page }) => {
  const email = `leaver-${unique()}@example.test`;
  const org = `Leaving ${unique()}`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Lee Leaver");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/settings/account");
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Delete my account" }) });
  await expect(card).toContainText("7 days");
  // The organization the user is alone in goes with the account, and the page says so.
  await expect(card).toContainText(org);
  await card.getByLabel("Your password").fill("not my password");
  await card.getByRole("button", { name: "Delete my account" }).click();
  await expect(card.getByRole("alert").first()).toContainText(/incorrect/i);
  await card.getByLabel("Your password").fill(PASSWORD);
  await card.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Signed out everywhere: the dashboard sends us back to sign in.
  await page.goto("/monitors");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").first()).toContainText(/deleted.*restore it until .* with the link in the email/i);

  const mail = await waitForMail(email, "restorable until");
  const link = /https?:\/\/\S+\/restore\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
  await page.goto(new URL(link).pathname);
  await page.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByText(/is restored|are restored/)).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).click();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/monitors$/);
  // The organization deleted with the account is back in the switcher.
  await expect(page.locator("option", { hasText: org })).toHaveCount(1);
});

test("an ADMIN deletes the organization (slug and password) → it is gone at once → the mailed link brings it back", async ({ page }) => {
  const email = `closer-${unique()}@example.test`;
  const org = `Closing ${unique()}`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Cleo Closer");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/settings/organization");
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Delete this organization" }) });
  await expect(card).toContainText("7 days");
  const confirm = card.getByLabel(/Type the organization's slug/);
  const slug = /\(([a-z0-9-]+)\)/.exec((await card.locator("label", { hasText: "slug" }).innerText()) ?? "")![1]!;
  await confirm.fill("not-the-slug");
  await card.getByLabel("Your password").fill(PASSWORD);
  await card.getByRole("button", { name: "Delete this organization" }).click();
  await expect(card.getByRole("alert").first()).toContainText(slug);
  await confirm.fill(slug);
  await card.getByLabel("Your password").fill(PASSWORD);
  await card.getByRole("button", { name: "Delete this organization" }).click();
  await expect(page).not.toHaveURL(/\/settings\/organization/);
  await expect(page.locator("option", { hasText: org })).toHaveCount(0);

  const mail = await waitForMail(email, "restorable until");
  const link = /https?:\/\/\S+\/restore\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
  await page.goto(new URL(link).pathname);
  await page.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByText(/is restored/)).toBeVisible();
  await page.goto("/monitors");
  await expect(page.locator("option", { hasText: org })).toHaveCount(1);
});
