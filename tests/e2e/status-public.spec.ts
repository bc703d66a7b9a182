import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { waitForMail } from "./mail";

/**
 * A status page as its visitors see it: built in the dashboard, opened logged out on a phone
 * with JavaScript off; its monitor goes DOWN and the banner and component follow; the draft
 * incident is published from the dashboard and followed by an update; the page and its feed
 * show them; a visitor subscribes through the page, confirms by mail, receives the incident
 * mail and unsubscribes by its link.
 */
const PASSWORD = "e2e passphrase that is long";
const unique = () => Math.random().toString(36).slice(2, 8);
const BASE = `http://127.0.0.1:${process.env.E2E_PORT}`;

function startTarget(port = 0): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
const stop = (s: http.Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

/** Reloads until `text` is on the page: the page is a snapshot rebuilt within seconds of a change. */
async function reloadUntil(page: Page, text: string | RegExp, timeout = 90_000) {
  await expect(async () => {
    await page.reload();
    await expect(page.locator("body")).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout, intervals: [1_000] });
}

test("a page built in the dashboard, seen logged out: DOWN, a published incident, a subscriber who confirms, is told and unsubscribes", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const target = await startTarget();
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
  const slug = `shop-${unique()}`;
  const subscriber = `visitor-${unique()}@example.test`;

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Pat Ublic");
  await page.getByLabel("Work email").fill(`public-${unique()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill(`Public ${unique()}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Shop homepage");
  await page.getByLabel("URL", { exact: true }).fill(url);
  await page.getByLabel(/^Interval/).selectOption("30");
  await page.getByLabel(/^Confirmations/).fill("1");
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("monitor-state").first()).toHaveText("UP", { timeout: 75_000 });

  await page.goto("/status-pages");
  const form = page.getByTestId("new-page-form");
  await form.getByLabel("Name", { exact: true }).fill("Shop status");
  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Time zone").fill("UTC");
  await form.getByLabel("Shop homepage").check();
  await form.getByRole("button", { name: "Create status page" }).click();
  await expect(page).toHaveURL(/\/status-pages\/[0-9a-f-]{36}$/);
  const editorUrl = new URL(page.url()).pathname;

  // A visitor: logged out, a 360 px phone, no JavaScript.
  const visitorContext = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/status/${slug}`);
  await expect(visitor.getByRole("heading", { level: 1 })).toContainText("Shop status");
  await expect(visitor.getByRole("main")).toContainText("All Systems Operational");
  await expect(visitor.getByRole("main")).toContainText("Shop homepage");
  expect(await visitor.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

  // Subscribe through the page; confirm by the mailed link.
  await visitor.getByLabel("Email address").fill(subscriber);
  await visitor.getByRole("button", { name: "Subscribe" }).click();
  await expect(visitor.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const confirmMail = await waitForMail(subscriber, "Confirm your subscription");
  const confirmLink = confirmMail.text.match(/https?:\/\/\S+\/subscribe\/confirm\?token=[^\s>]+/)?.[0];
  expect(confirmLink, confirmMail.text).toBeTruthy();
  await visitor.goto(confirmLink!);
  await expect(visitor.getByRole("heading", { name: "Subscription confirmed" })).toBeVisible();

  // The monitor goes DOWN: the banner and the component follow.
  await stop(target);
  await visitor.goto(`/status/${slug}`);
  await reloadUntil(visitor, "Major System Outage");
  await expect(visitor.getByRole("main")).toContainText("Major Outage");

  // The draft prepared for the page is published with one click, then updated.
  await page.goto(`${editorUrl}/incidents`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("draft-incident").first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [1_000] });
  const draft = page.getByTestId("draft-incident").first();
  const title = (await draft.locator("h3").first().textContent())!.trim();
  expect(title).toContain("Shop homepage");
  await draft.getByRole("button", { name: "Publish" }).click();
  const incident = page.getByTestId("open-incident").filter({ hasText: title });
  await expect(incident).toBeVisible();
  const uf = incident.getByTestId("post-update-form");
  await uf.getByLabel("New status").selectOption("identified");
  await uf.getByLabel("Update").fill("The shop's server stopped; restarting it.");
  await uf.getByRole("button", { name: "Post update" }).click();
  await expect(incident.getByTestId("incident-updates")).toContainText("restarting it");

  // The page and its feed show the incident and its update.
  await reloadUntil(visitor, "restarting it", 30_000);
  await expect(visitor.getByRole("main")).toContainText(title);
  const feed = await visitorContext.request.get(`/status/${slug}/feed.atom`);
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain(title);
  const summary = await visitorContext.request.get(`/status/${slug}/api/v2/summary.json`);
  const body = (await summary.json()) as { status: { indicator: string }; components: { name: string; status: string }[]; incidents: { name: string }[] };
  expect(body.status.indicator).toBe("major");
  expect(body.components.find((c) => c.name === "Shop homepage")?.status).toBe("major_outage");
  expect(body.incidents.map((i) => i.name)).toContain(title);

  // The subscriber was told, and leaves by the mail's link (a button: link scanners must not unsubscribe).
  const incidentMail = await waitForMail(subscriber, title, 60_000);
  const unsubscribe = incidentMail.text.match(/https?:\/\/\S+\/unsubscribe\?token=[^\s>]+/)?.[0];
  expect(unsubscribe, incidentMail.text).toBeTruthy();
  await visitor.goto(unsubscribe!);
  await expect(visitor.getByRole("heading", { name: "Unsubscribe" })).toBeVisible();
  await visitor.getByRole("button", { name: /Unsubscribe/ }).click();
  await expect(visitor.getByRole("heading", { name: "Unsubscribed" })).toBeVisible();

  await visitorContext.close();
});
