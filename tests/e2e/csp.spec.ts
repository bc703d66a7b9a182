import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { BASE_DATABASE_URL, withDatabase } from "../helpers/test-db";
import { confirmSignUpEmail } from "./confirm-email";
import { waitForMail } from "./mail";

/**
 * Every page, opened directly (a bookmark, a refresh), runs its scripts under the CSP: no
 * violation, no console error, no failed request (the favicon included). The routes are
 * read from src/app, so a new page is covered without editing this file.
 */
const PASSWORD = "e2e passphrase that is long";
const unique = () => Math.random().toString(36).slice(2, 8);

function pageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return pageFiles(p);
    return e.name === "page.tsx" ? [p] : [];
  });
}

/** "src/app/(dashboard)/monitors/[id]/page.tsx" → "/monitors/[id]" */
const APP = path.join(process.cwd(), "src", "app");
const ROUTES = pageFiles(APP)
  .map((f) =>
    path
      .relative(APP, path.dirname(f))
      .split(path.sep)
      .filter((s) => s && !/^\(.*\)$/.test(s))
      .join("/"),
  )
  .map((r) => `/${r}`)
  .sort();

type Problem = string;

/** Loads `url` in `page` and returns every CSP violation, console error and page error. */
async function problemsOn(page: Page, url: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  const onConsole = (m: { type(): string; text(): string; location(): { url: string } }) => {
    if (m.type() !== "error") return;
    // The 404 page answers 404 by design; Chromium logs that for the document itself.
    if (/status of 404/.test(m.text()) && new URL(m.location().url).pathname === new URL(page.url()).pathname) return;
    problems.push(`console: ${m.text()} (${m.location().url})`);
  };
  const onPageError = (e: Error) => problems.push(`pageerror: ${e.message}`);
  page.on("console", onConsole);
  page.on("pageerror", onPageError);
  try {
    await page.goto(url, { waitUntil: "load" });
    await page.waitForLoadState("networkidle");
    const violations = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
    problems.push(...violations.map((v) => `csp: ${v}`));
    // The scripts did run: Next's bootstrap chunk sets window.next (a blocked one leaves nothing).
    if (!(await page.evaluate(() => !!(window as unknown as { next?: { version?: string } }).next?.version))) problems.push("Next's scripts did not run");
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onPageError);
  }
  return problems;
}

async function watchedPage(browser: Browser) {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile}:${e.lineNumber}`));
  });
  return { context, page: await context.newPage() };
}

test("every page, opened directly, signed in or not, runs under the CSP with no console error", async ({ browser }) => {
  test.setTimeout(300_000);
  expect(ROUTES).toEqual(expect.arrayContaining(["/forgot-password", "/monitors", "/monitors/[id]", "/invite/[token]"]));

  // A signed-in site admin with a monitor and a pending invitation, so the dynamic routes
  // have real ids and /admin renders for real.
  const { context, page } = await watchedPage(browser);
  const email = `csp-${unique()}@example.test`;
  const org = `CSP Org ${unique()}`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Cy Policy");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);
  const db = new pg.Client({ connectionString: withDatabase(BASE_DATABASE_URL, process.env.E2E_DB_NAME!) });
  await db.connect();
  await db.query("update users set is_admin = true where email = $1", [email]);
  await db.end();

  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("CSP target");
  await page.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:9/");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  const monitorId = new URL(page.url()).pathname.split("/")[2]!;

  // A status page, so its editor routes render for real.
  await page.goto("/status-pages");
  const pageForm = page.getByTestId("new-page-form");
  await pageForm.getByLabel("Name", { exact: true }).fill("CSP status");
  await pageForm.getByLabel("Slug").fill(`csp-${unique()}`);
  await pageForm.getByLabel("CSP target").check();
  await pageForm.getByRole("button", { name: "Create status page" }).click();
  await expect(page).toHaveURL(/\/status-pages\/[0-9a-f-]{36}$/);
  const statusPageId = new URL(page.url()).pathname.split("/")[2]!;

  // Invitations wait for a confirmed address.
  await confirmSignUpEmail(page, email);
  await page.goto("/settings/members");
  const invitee = `invitee-${unique()}@example.test`;
  const invite = page.getByTestId("invite-form");
  await invite.getByLabel(/email/i).fill(invitee);
  await invite.getByRole("button", { name: /send invitation/i }).click();
  await expect(page.getByText(invitee).first()).toBeVisible();
  const inviteToken = /\/invite\/([A-Za-z0-9_-]+)/.exec((await waitForMail(invitee, org)).text)?.[1];
  expect(inviteToken).toBeTruthy();

  const fill = (route: string) => route.replace("[id]", route.startsWith("/status-pages/") ? statusPageId : monitorId).replace("[token]", inviteToken!);
  const urls = [...ROUTES.map(fill), "/reset-password?token=made-up-token", "/no-such-page", "/monitors/00000000-0000-4000-8000-000000000000"];

  const found: string[] = [];
  const anon = await watchedPage(browser);
  for (const url of urls) {
    for (const [who, p] of [
      ["signed in", page],
      ["anonymous", anon.page],
    ] as const) {
      for (const problem of await problemsOn(p, url)) found.push(`${url} (${who}): ${problem}`);
    }
  }
  await anon.context.close();
  await context.close();
  expect(found).toEqual([]);
});

test("a favicon is served: the page's icon link, and /favicon.ico for clients that just ask", async ({ page }) => {
  await page.goto("/sign-in");
  const hrefs = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((l) => l.getAttribute("href")));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of [...hrefs, "/favicon.ico"]) {
    const res = await page.request.get(href!);
    expect(res.status(), href!).toBe(200);
    expect(res.headers()["content-type"], href!).toMatch(/image\//);
  }
});

test("/forgot-password opened directly posts its form with scripts (no GET with the email in the URL)", async ({ page }) => {
  await page.goto("/forgot-password");
  await page.getByLabel(/email/i).fill(`nobody-${unique()}@example.test`);
  await page.getByRole("button").first().click();
  await expect(page.getByRole("status").or(page.getByRole("alert")).first()).toBeVisible();
  expect(page.url()).not.toContain("example.test");
});

test("sign-in does not follow a next that leaves the site", async ({ page }) => {
  const email = `redir-${unique()}@example.test`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Red Irect");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(`Redirect ${unique()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);
  const origin = new URL(page.url()).origin;
  await page.context().clearCookies();
  for (const next of ["%2F%5Cevil.test%2Fpwn", "%2F%09%2Fevil.test"]) {
    await page.goto(`/sign-in?next=${next}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${origin}/monitors`);
    await page.context().clearCookies();
  }
});
