import { expect, type Page } from "@playwright/test";
import { waitForMail } from "./mail";

/**
 * Opens the confirmation link a new sign-up was mailed, as its owner would: until then the
 * account sends no alert email and invites nobody.
 */
export async function confirmSignUpEmail(page: Page, email: string): Promise<void> {
  const mail = await waitForMail(email, "Confirm your email address");
  const link = /https?:\/\/\S+\/confirm-email\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  expect(link, "confirmation link in the mail").toBeTruthy();
  await page.goto(link!);
  await page.getByRole("button", { name: "Confirm this address" }).click();
  await expect(page.getByText(`${email} is confirmed`)).toBeVisible();
}
