import { z } from "zod";
import { DeliveryError, postJson } from "../http";
import { formatDuration, type AlertMessage } from "../message";
import { baseUrl, view } from "./fields";
import { alertKeys, defineProvider, endpointOf, type ApiUrlSetting } from "./provider";

const US: ApiUrlSetting = { env: "OPSGENIE_API_URL", default: "https://api.opsgenie.com", what: "Opsgenie API (US instance)" };
const EU: ApiUrlSetting = { env: "OPSGENIE_EU_API_URL", default: "https://api.eu.opsgenie.com", what: "Opsgenie API (EU instance)" };

/** Opsgenie shows alerts as plain text: only control characters (but newlines) are dropped. */
const plain = (s: string) => s.replace(/[^\P{Cc}\n]/gu, " ");
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

type OpsgenieRequest = { action: "create"; body: Record<string, unknown> } | { action: "close"; alias: string; body: Record<string, unknown> };

/**
 * Alerts API v2: create on DOWN, close on recovery. The alias is the incident's (the same key
 * PagerDuty de-duplicates on), so the recovery closes the alert its DOWN opened, and a repeat
 * of an open alert only raises its count.
 */
function renderOpsgenie(m: AlertMessage): OpsgenieRequest | null {
  const keys = alertKeys(m);
  const create = (alias: string, priority: string) => {
    const details: Record<string, string> = { monitor: m.monitor.name, monitorId: m.monitor.id, state: m.state, url: m.url };
    if (m.monitor.target) details.target = m.monitor.target.slice(0, 300);
    if (m.cause) details.cause = m.cause.slice(0, 500);
    if (m.statusCode) details.statusCode = String(m.statusCode);
    if (m.certValidTo) details.certValidTo = m.certValidTo.slice(0, 10);
    const description = [m.summary, m.monitor.target ? `Target: ${m.monitor.target}` : "", `Open in Perigee: ${m.url}`].filter(Boolean).join("\n\n");
    return {
      action: "create" as const,
      body: {
        message: clip(plain(m.title), 130),
        alias,
        description: clip(plain(description), 15_000),
        priority,
        source: "Perigee",
        entity: clip(plain(m.monitor.name), 512),
        tags: ["perigee", m.kind],
        details: Object.fromEntries(Object.entries(details).map(([k, v]) => [k, plain(v)])),
      },
    };
  };
  const close = (alias: string, note: string) => ({ action: "close" as const, alias, body: { source: "Perigee", user: "Perigee", note } });
  switch (m.kind) {
    case "down":
    case "heartbeat_missed":
      return create(keys.incident, "P1");
    case "recovered":
      return close(keys.incident, `${plain(m.monitor.name)} is back UP after ${formatDuration(m.downtimeSeconds)}.`);
    case "degraded":
      return create(keys.degraded, "P3");
    case "up":
      return close(keys.degraded, `${plain(m.monitor.name)} is no longer degraded.`);
    case "ssl_expiring":
      return create(keys.ssl, m.daysLeft !== null && m.daysLeft <= 7 ? "P2" : "P3");
    case "test":
      return create(keys.test, "P5");
    case "reminder":
      // Opsgenie notifies and escalates open alerts itself.
      return null;
  }
}

/** Opsgenie Alerts API v2 with an API integration's key, on the US or EU instance. */
export const opsgenie = defineProvider({
  type: "opsgenie",
  label: "Opsgenie",
  fields: {
    apiKey: z
      .string({ error: "API key is required" })
      .trim()
      .regex(/^[A-Za-z0-9-]{20,64}$/, "API key is the key of an Opsgenie API integration, such as 0a1b2c3d-…"),
    region: z.enum(["us", "eu"], { error: "Region is us or eu" }).default("us"),
    baseUrl: baseUrl(),
  },
  secrets: ["apiKey"],
  urls: ["baseUrl"],
  form: [
    { name: "apiKey", label: "API key", hint: "Of an API integration (Settings → Integrations → API)" },
    {
      name: "region",
      label: "Region",
      input: "select",
      options: [
        ["us", "US (api.opsgenie.com)"],
        ["eu", "EU (api.eu.opsgenie.com)"],
      ],
    },
    { name: "baseUrl", label: "API base URL (optional)", input: "url" },
  ],
  view: { apiKey: { schema: view.masked, label: "API key" }, region: { schema: view.text, label: "region" }, baseUrl: { schema: view.text, label: "via" } },
  example: { apiKey: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d", region: "eu" },
  apiUrls: [US, EU],
  async send({ channel, secrets, message }) {
    if (!secrets.apiKey) throw new DeliveryError("The channel has no API key", false);
    const req = renderOpsgenie(message);
    if (!req) return { httpStatus: null, response: null, skipped: "Opsgenie notifies and escalates open alerts itself; reminders are not sent there" };
    const { base, guard } = endpointOf(channel.config.baseUrl, channel.config.region === "eu" ? EU : US);
    const opts = { guard, provider: "Opsgenie", headers: { authorization: `GenieKey ${secrets.apiKey}` } };
    const closeUrl = (alias: string) => `${base}/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`;
    // 202: accepted for processing.
    const a = req.action === "create" ? await postJson(`${base}/v2/alerts`, req.body, opts) : await postJson(closeUrl(req.alias), req.body, opts);
    if (message.kind === "test" && req.action === "create") {
      // A test proves the key works; it must not leave an open alert paging someone.
      await postJson(closeUrl(String(req.body.alias)), { source: "Perigee", user: "Perigee", note: "Test alert, closed by Perigee." }, opts).catch(() => undefined);
      return { httpStatus: a.status, response: `${a.body.slice(0, 900)} (test alert closed again)` };
    }
    return { httpStatus: a.status, response: a.body.slice(0, 1000) };
  },
});
