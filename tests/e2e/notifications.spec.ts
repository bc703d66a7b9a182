import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";

const PASSWORD = "e2e passphrase that is long";

type Hit = { headers: http.IncomingHttpHeaders; body: string };

function startServer(handler: http.RequestListener, port = 0): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
const stop = (s: http.Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

test("a webhook channel: signing secret once, test send, attached to a monitor, DOWN delivered and logged", async ({ page }) => {
  // About a minute: one 30 s check to see UP, the next one to see DOWN.
  test.setTimeout(150_000);
  const hits: Hit[] = [];
  const receiver = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"received":true}');
    });
  });
  const target = await startServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/perigee`;
  const targetPort = (target.address() as AddressInfo).port;

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Noti Fier");
  await page.getByLabel("Work email").fill(`notify-${Date.now()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill("Alerting Inc");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  // 1. A webhook channel; its signing secret is shown once.
  await page.goto("/notifications");
  await expect(page.getByRole("heading", { name: "No notification channels yet" })).toBeVisible();
  const form = page.getByTestId("channel-form");
  await form.getByLabel("Type").selectOption("webhook");
  await form.getByLabel("Name").fill("Ops hook");
  // A field error keeps what was typed, except the URL: it is a credential and never echoed.
  await form.getByLabel("Webhook URL").fill("not a url");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "Webhook URL must be a full http(s) URL" })).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveValue("Ops hook");
  await expect(form.getByLabel("Webhook URL")).toHaveValue("");
  await form.getByLabel("Webhook URL").fill(hookUrl);
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByTestId("signing-secret")).toContainText("you won’t see it again");
  const secret = (await page.getByTestId("signing-secret-value").textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await page.reload();
  await expect(page.getByTestId("signing-secret")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);
  const channel = page.locator('[data-channel="Ops hook"]');
  await expect(channel).toContainText("Webhook");
  await expect(channel).toContainText("URL ••••••");
  await expect(page.locator("body")).not.toContainText(hookUrl);

  // 2. Send a test notification and see the receiver's answer.
  await channel.getByRole("button", { name: "Send test notification" }).click();
  await expect(channel.getByTestId("test-result")).toContainText('HTTP 200: {"received":true}');
  expect(JSON.parse(hits[0]!.body)).toMatchObject({ type: "monitor.test" });

  // 3. A monitor that alerts this channel.
  await page.goto("/monitors/new");
  await page.getByLabel("Name", { exact: true }).fill("Checkout");
  await page.getByLabel("URL", { exact: true }).fill(`http://127.0.0.1:${targetPort}/`);
  await page.getByLabel(/^Interval/).selectOption("30");
  await page.getByLabel(/^Confirmations/).fill("1");
  await page.getByLabel("Choose channels for this monitor").check();
  await page.getByRole("checkbox", { name: /Ops hook/ }).check();
  await page.getByRole("button", { name: "Create monitor" }).click();
  await expect(page).toHaveURL(/\/monitors\/[0-9a-f-]{36}$/);
  const monitorId = page.url().split("/").pop()!;
  const state = page.getByTestId("monitor-state").first();
  await expect(state).toHaveText("UP", { timeout: 75_000 });

  // 4. The target goes down → DOWN → a signed monitor.down webhook.
  await stop(target);
  await expect(state).toHaveText("DOWN", { timeout: 75_000 });
  await expect.poll(() => hits.filter((h) => h.body.includes('"monitor.down"')).length, { timeout: 30_000 }).toBe(1);
  const down = hits.find((h) => h.body.includes('"monitor.down"'))!;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${down.headers["webhook-id"]}.${down.headers["webhook-timestamp"]}.${down.body}`).digest("base64");
  expect(down.headers["webhook-signature"]).toBe(`v1,${expected}`);
  expect(JSON.parse(down.body)).toMatchObject({ type: "monitor.down", data: { monitor: { id: monitorId, name: "Checkout" }, state: "DOWN" } });

  // 5. The delivery is in the notification log.
  await page.goto("/notifications");
  const log = page.getByTestId("notification-log");
  await expect(log.locator('tr[data-status="delivered"]', { hasText: "down" })).toContainText("Ops hook");
  await expect(log.locator('tr[data-status="delivered"]', { hasText: "test" })).toHaveCount(1);

  // 6. Deleting the monitor's only channel says the monitor now uses the default channels.
  page.once("dialog", (d) => void d.accept());
  await page.locator('li[data-channel="Ops hook"]').getByRole("button", { name: "Delete" }).click();
  await expect(page.getByTestId("channel-deleted")).toContainText("1 monitor that used only this channel now uses the organization's default channels.");
  await expect(page.getByTestId("channel-deleted")).toContainText("There are no default channels yet");
  await expect(page.locator('li[data-channel="Ops hook"]')).toHaveCount(0);

  await stop(receiver);
});

test("an ntfy channel: created in the dashboard, shown with its secrets masked, a test published to the topic", async ({ page }) => {
  const hits: Hit[] = [];
  const receiver = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id":"e2e1","event":"message"}');
    });
  });
  const topicUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ntfy/perigee-e2e-topic`;

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Nt Fy");
  await page.getByLabel("Work email").fill(`ntfy-${Date.now()}@example.test`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Organization name").fill("Pager Inc");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/monitors$/);

  await page.goto("/notifications");
  const form = page.getByTestId("channel-form");
  await form.getByLabel("Type").selectOption("ntfy");
  await form.getByLabel("Name").fill("Phone");
  await form.getByLabel("Topic URL").fill(topicUrl);
  await form.getByLabel("Priority").selectOption("4");
  await form.getByLabel("Access token (optional)").fill("tk_e2eToken0123456789");
  await form.getByRole("button", { name: "Add channel" }).click();
  const channel = page.locator('[data-channel="Phone"]');
  await expect(channel).toContainText("ntfy");
  await expect(channel).toContainText("URL •••••• · priority 4 · token ••••••");
  await expect(page.locator("body")).not.toContainText("perigee-e2e-topic");
  await expect(page.locator("body")).not.toContainText("tk_e2eToken");

  await channel.getByRole("button", { name: "Send test notification" }).click();
  await expect(channel.getByTestId("test-result")).toContainText("HTTP 200");
  expect(hits).toHaveLength(1);
  expect(hits[0]!.headers.authorization).toBe("Bearer tk_e2eToken0123456789");
  expect(JSON.parse(hits[0]!.body)).toMatchObject({ topic: "perigee-e2e-topic", title: "Test notification from Perigee", priority: 4 });

  // Edited back to the priority by alert; the stored topic and token are kept.
  await channel.getByText("Edit").click();
  const edit = channel.getByTestId("channel-edit-form");
  await expect(edit.getByLabel("Priority")).toHaveValue("4");
  await edit.getByLabel("Priority").selectOption("");
  await edit.getByRole("button", { name: "Save channel" }).click();
  await expect(channel).not.toContainText("priority");
  await expect(channel).toContainText("URL •••••• · token ••••••");

  await stop(receiver);
});
