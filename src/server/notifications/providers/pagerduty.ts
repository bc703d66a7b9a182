import { z } from "zod";
import { DeliveryError, postJson } from "../http";
import type { AlertMessage } from "../message";
import { baseUrl, view } from "./fields";
import { alertKeys, defineProvider, endpointOf, type ApiUrlSetting } from "./provider";

const API: ApiUrlSetting = { env: "PAGERDUTY_API_URL", default: "https://events.pagerduty.com", what: "PagerDuty Events API" };

/** PagerDuty Events API v2: trigger on DOWN, resolve on recovery, one dedup_key per incident. */
export function renderPagerDuty(m: AlertMessage, routingKey: string): Record<string, unknown> | null {
  const keys = alertKeys(m);
  const base = { routing_key: routingKey, client: "Perigee", client_url: m.url, links: [{ href: m.url, text: "Open in Perigee" }] };
  const payload = (severity: string) => ({
    summary: `${m.title}${m.cause ? ` — ${m.cause}` : ""}`.slice(0, 1024),
    source: m.monitor.target ?? m.monitor.name,
    severity,
    timestamp: m.occurredAt,
    component: m.monitor.name,
    class: m.errorClass ?? m.kind,
    custom_details: { monitor: m.monitor.name, state: m.state, cause: m.cause, statusCode: m.statusCode, downtimeSeconds: m.downtimeSeconds },
  });
  switch (m.kind) {
    case "down":
    case "heartbeat_missed":
      return { ...base, event_action: "trigger", dedup_key: keys.incident, payload: payload("critical") };
    case "recovered":
      return { ...base, event_action: "resolve", dedup_key: keys.incident };
    case "degraded":
      return { ...base, event_action: "trigger", dedup_key: keys.degraded, payload: payload("warning") };
    case "up":
      return { ...base, event_action: "resolve", dedup_key: keys.degraded };
    case "ssl_expiring":
      return { ...base, event_action: "trigger", dedup_key: keys.ssl, payload: payload(m.daysLeft !== null && m.daysLeft <= 7 ? "error" : "warning") };
    case "test":
      return { ...base, event_action: "trigger", dedup_key: keys.test, payload: payload("info") };
    case "reminder":
      // PagerDuty escalates open incidents itself; a repeated trigger would be a no-op.
      return null;
  }
}

export const pagerduty = defineProvider({
  type: "pagerduty",
  label: "PagerDuty",
  fields: {
    routingKey: z
      .string({ error: "Routing key is required" })
      .trim()
      .regex(/^[A-Za-z0-9]{20,64}$/, "Routing key is the 32-character integration key of an Events API v2 integration"),
    baseUrl: baseUrl(),
  },
  secrets: ["routingKey"],
  urls: ["baseUrl"],
  form: [
    { name: "routingKey", label: "Integration (routing) key", hint: "Events API v2 integration key" },
    { name: "baseUrl", label: "Events API base URL (optional)", input: "url" },
  ],
  view: { routingKey: { schema: view.masked, label: "routing key" }, baseUrl: { schema: view.text, label: "via" } },
  example: { routingKey: "R0UT1NGKEY0123456789abcdefghijkl" },
  apiUrls: [API],
  async send({ channel, secrets, message }) {
    if (!secrets.routingKey) throw new DeliveryError("The channel has no routing key", false);
    const body = renderPagerDuty(message, secrets.routingKey);
    if (!body) return { httpStatus: null, response: null, skipped: "PagerDuty escalates open incidents itself; reminders are not sent there" };
    const { base, guard } = endpointOf(channel.config.baseUrl, API);
    const url = `${base}/v2/enqueue`;
    const a = await postJson(url, body, { guard, provider: "PagerDuty" });
    if (message.kind === "test") {
      // A test proves the routing key works; it must not leave an open incident paging someone.
      await postJson(url, { routing_key: secrets.routingKey, event_action: "resolve", dedup_key: body.dedup_key }, { guard, provider: "PagerDuty" }).catch(() => undefined);
      return { httpStatus: a.status, response: `${a.body.slice(0, 900)} (test incident resolved again)` };
    }
    return { httpStatus: a.status, response: a.body.slice(0, 1000) };
  },
});
