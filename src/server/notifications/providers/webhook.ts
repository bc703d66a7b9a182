import { createHmac } from "node:crypto";
import { DeliveryError, judge, postRaw } from "../http";
import type { AlertMessage } from "../message";
import { httpUrl, view } from "./fields";
import { defineProvider } from "./provider";

/**
 * Generic webhook: JSON body (docs/webhooks.md) signed the Standard Webhooks way:
 *   webhook-id: <delivery id>, webhook-timestamp: <unix seconds>,
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>
 * where key = base64-decode(signing secret without its "whsec_" prefix).
 */
export function webhookBody(m: AlertMessage) {
  return {
    type: `monitor.${m.kind}`,
    eventId: m.eventId,
    occurredAt: m.occurredAt,
    data: {
      monitor: { ...m.monitor, url: m.url },
      incidentId: m.incidentId,
      state: m.state,
      title: m.title,
      summary: m.summary,
      cause: m.cause,
      errorClass: m.errorClass,
      statusCode: m.statusCode,
      downtimeSeconds: m.downtimeSeconds,
      daysLeft: m.daysLeft,
      certValidTo: m.certValidTo,
      reminderNumber: m.reminderNumber,
    },
  };
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** A signed JSON POST to the customer's URL; its signing secret is generated on create and shown once. */
export const webhook = defineProvider({
  type: "webhook",
  label: "Webhook",
  fields: { url: httpUrl("Webhook URL") },
  secrets: ["url"],
  urls: ["url"],
  form: [{ name: "url", label: "Webhook URL", hint: "Receives a signed JSON POST (see docs/webhooks.md)", input: "url", placeholder: "https://example.com/perigee-hook" }],
  view: {
    url: { schema: view.masked, label: "URL" },
    /** Only in the answer to a create: the signing secret, shown once. */
    signingSecret: { schema: view.text },
  },
  example: { url: "https://example.com/perigee-hook" },
  async send({ secrets, message, deliveryId }) {
    if (!secrets.url) throw new DeliveryError("The channel has no webhook URL", false);
    const body = JSON.stringify(webhookBody(message));
    const ts = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { "content-type": "application/json", "webhook-id": deliveryId, "webhook-timestamp": String(ts) };
    if (secrets.signingSecret) headers["webhook-signature"] = signWebhook(secrets.signingSecret, deliveryId, ts, body);
    const a = judge(await postRaw(secrets.url, body, headers, { guard: true }), "The webhook receiver");
    return { httpStatus: a.status, response: a.body.slice(0, 1000) };
  },
});
