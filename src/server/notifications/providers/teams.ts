import { DeliveryError, postJson } from "../http";
import { emojiOf, formatDuration, type AlertKind, type AlertMessage } from "../message";
import { httpUrl, view } from "./fields";
import { defineProvider } from "./provider";

/**
 * Adaptive Card markdown (TextBlock and FactSet text): `**`, `_`, `~`, backticks and
 * `[…](…)` links anywhere, lists, headings and quotes at the start of a line. Everything we
 * did not write ourselves is backslash-escaped there, so it shows as typed and cannot
 * disguise a link.
 */
const teamsEscape = (s: string) =>
  s
    .replace(/[\\*_~`[\]()]/g, "\\$&")
    .replace(/^(\s*)([#>+-])/gm, "$1\\$2")
    .replace(/^(\s*\d+)\./gm, "$1\\.");

const COLOUR: Record<AlertKind, string> = {
  down: "Attention",
  heartbeat_missed: "Attention",
  reminder: "Attention",
  recovered: "Good",
  up: "Good",
  degraded: "Warning",
  ssl_expiring: "Warning",
  test: "Accent",
};

/** A Teams message carrying one Adaptive Card 1.4: title, summary, the facts, a link back. */
function renderTeams(m: AlertMessage) {
  const e = teamsEscape;
  const facts = [
    { title: "Monitor", value: e(m.monitor.name) },
    { title: "State", value: m.state },
  ];
  if (m.cause) facts.push({ title: "Cause", value: e(m.cause.slice(0, 500)) });
  if (m.downtimeSeconds !== null) facts.push({ title: m.kind === "recovered" ? "Downtime" : "Down for", value: formatDuration(m.downtimeSeconds) });
  if (m.monitor.target) facts.push({ title: "Target", value: e(m.monitor.target.slice(0, 300)) });
  if (m.certValidTo) facts.push({ title: "Certificate valid until", value: m.certValidTo.slice(0, 10) });
  facts.push({ title: "When", value: `${m.occurredAt.replace("T", " ").slice(0, 19)} UTC` });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          msteams: { width: "Full" },
          body: [
            { type: "TextBlock", text: `${emojiOf(m.kind)} ${e(m.title)}`, size: "Large", weight: "Bolder", color: COLOUR[m.kind], wrap: true },
            { type: "TextBlock", text: e(m.summary), wrap: true },
            { type: "FactSet", facts },
          ],
          actions: [{ type: "Action.OpenUrl", title: "Open in Perigee", url: m.url }],
        },
      },
    ],
  };
}

/** Microsoft Teams: a Workflows ("When a Teams webhook request is received") or incoming webhook URL. */
export const teams = defineProvider({
  type: "teams",
  label: "Microsoft Teams",
  fields: { url: httpUrl("Teams webhook URL") },
  secrets: ["url"],
  urls: ["url"],
  form: [
    {
      name: "url",
      label: "Teams webhook URL",
      hint: "A Workflows “Post to a channel when a webhook request is received” URL, or an incoming webhook URL",
      input: "url",
      placeholder: "https://….logic.azure.com/workflows/…",
    },
  ],
  view: { url: { schema: view.masked, label: "URL" } },
  example: { url: "https://prod-00.westeurope.logic.azure.com/workflows/0123/triggers/manual/paths/invoke?sig=abc" },
  async send({ secrets, message }) {
    if (!secrets.url) throw new DeliveryError("The channel has no Teams webhook URL", false);
    // A workflow answers 202 (accepted), a legacy incoming webhook 200.
    const a = await postJson(secrets.url, renderTeams(message), { guard: true, provider: "Microsoft Teams" });
    return { httpStatus: a.status, response: a.body.slice(0, 1000) };
  },
});
