import { expect, test } from "@playwright/test";
import { waitForMail } from "./mail";

const unique = () => Math.random().toString(36).slice(2, 8);
const PASSWORD = "e2e passphrase that is long";

test("rename, then change email: the link from the mail makes it the account's address and the old address is told", async ({ page }) => {
  const oldEmail = `before-${unique()}@example.test`;
  const newEmail = `after-${unique()}@example.test`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Pat Profile");
  await page.getByLabel("Work email").fill(oldEmail);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(`Profile Org ${unique()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);
  // A new sign-up is unconfirmed: the dashboard says so.
  await expect(page.getByTestId("confirm-email-banner")).toContainText(oldEmail);
  await expect(page.getByTestId("data-region")).toContainText("Data region");

  await page.goto("/settings/account");
  const nameForm = page.getByTestId("name-form");
  const emailForm = page.getByTestId("email-change-form");
  await nameForm.getByLabel("Your name").fill("Pat Renamed");
  await nameForm.getByRole("button", { name: "Save name" }).click();
  await expect(nameForm.getByText("Name saved.")).toBeVisible();
  await expect(page.locator(".sidebar-foot")).toContainText("Pat Renamed");

  // A wrong password changes nothing.
  await emailForm.getByLabel("New email").fill(newEmail);
  await emailForm.getByLabel("Current password").fill("not my password at all");
  await emailForm.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(emailForm.getByText("Current password is incorrect.").first()).toBeVisible();

  await emailForm.getByLabel("New email").fill(newEmail);
  await emailForm.getByLabel("Current password").fill(PASSWORD);
  await emailForm.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(emailForm.getByText(`If ${newEmail} is not used by another Perigee account, we sent a confirmation link`)).toBeVisible();
  // Nothing changes until the link is opened.
  await page.reload();
  await expect(page.getByTestId("account-email")).toHaveText(oldEmail);

  const mail = await waitForMail(newEmail, "Confirm your new Perigee email address");
  const link = /https?:\/\/\S+\/confirm-email\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(link).toBeTruthy();
  await page.goto(link!);
  await page.getByRole("button", { name: "Confirm this address" }).click();
  await expect(page.getByText(`Your account's email address is now ${newEmail}`)).toBeVisible();

  // Still signed in (sessions stay), with the new, confirmed address.
  await page.goto("/settings/account");
  await expect(page.getByTestId("account-email")).toHaveText(newEmail);
  await expect(page.getByTestId("confirm-email-banner")).toHaveCount(0);
  const notice = await waitForMail(oldEmail, "Your Perigee email address was changed");
  expect(notice.text).toContain(`changed to ${newEmail}`);

  // The link worked once.
  await page.goto(link!);
  await page.getByRole("button", { name: "Confirm this address" }).click();
  await expect(page.getByText(/expired or was already used/)).toBeVisible();
});
