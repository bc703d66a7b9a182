import { env } from "../../env";
import { DeliveryError, postJson } from "../http";
import type { AlertMessage } from "../message";
import type { Sender } from "./types";

/** PagerDuty Events API v2: trigger on DOWN, resolve on recovery, one dedup_key per incident. */
export function renderPagerDuty(m: AlertMessage, routingKey: string): Record<string, unknown> | null {
  const incidentKey = `perigee-incident-${m.incidentId ?? m.monitor.id}`;
  const degradedKey = `perigee-degraded-${m.monitor.id}`;
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
      return { ...base, event_action: "trigger", dedup_key: incidentKey, payload: payload("critical") };
    case "recovered":
      return { ...base, event_action: "resolve", dedup_key: incidentKey };
    case "degraded":
      return { ...base, event_action: "trigger", dedup_key: degradedKey, payload: payload("warning") };
    case "up":
      return { ...base, event_action: "resolve", dedup_key: degradedKey };
    case "ssl_expiring":
      return { ...base, event_action: "trigger", dedup_key: `perigee-ssl-${m.monitor.id}-${m.certValidTo ?? ""}`, payload: payload(m.daysLeft !== null && m.daysLeft <= 7 ? "error" : "warning") };
    case "test":
      return { ...base, event_action: "trigger", dedup_key: `perigee-test-${m.eventId}`, payload: payload("info") };
    case "reminder":
      // PagerDuty escalates open incidents itself; a repeated trigger would be a no-op.
      return null;
  }
}

export const sendPagerDuty: Sender = async ({ channel, secrets, message }) => {
  if (!secrets.routingKey) throw new DeliveryError("The channel has no routing key", false);
  const body = renderPagerDuty(message, secrets.routingKey);
  if (!body) return { httpStatus: null, response: null, skipped: "PagerDuty escalates open incidents itself; reminders are not sent there" };
  const custom = channel.config.baseUrl as string | undefined;
  const url = `${(custom ?? env().PAGERDUTY_API_URL).replace(/\/$/, "")}/v2/enqueue`;
  const a = await postJson(url, body, { guard: Boolean(custom), provider: "PagerDuty" });
  if (message.kind === "test") {
    // A test proves the routing key works; it must not leave an open incident paging someone.
    await postJson(url, { routing_key: secrets.routingKey, event_action: "resolve", dedup_key: body.dedup_key }, { guard: Boolean(custom), provider: "PagerDuty" }).catch(() => undefined);
    return { httpStatus: a.status, response: `${a.body.slice(0, 900)} (test incident resolved again)` };
  }
  return { httpStatus: a.status, response: a.body.slice(0, 1000) };
};
