import { DeliveryError, judge, postRaw } from "../http";
import { emojiOf, formatDuration, type AlertMessage } from "../message";
import { httpUrl, view } from "./fields";
import { defineProvider } from "./provider";

/**
 * Slack's control characters: `<…>` makes links and mentions (`<!channel>`), `&` escapes.
 * Everything we did not write ourselves (names, causes from a target's answer, URLs) is
 * escaped so it shows as text and can never ping a channel or disguise a link.
 */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Slack Block Kit message: header, the facts as fields, and a link back. */
export function renderSlack(m: AlertMessage) {
  const e = slackEscape;
  const fields = [`*Monitor*\n${e(m.monitor.name)}`, `*State*\n${m.state}`];
  if (m.cause) fields.push(`*Cause*\n${e(m.cause.slice(0, 500))}`);
  if (m.downtimeSeconds !== null) fields.push(`*${m.kind === "recovered" ? "Downtime" : "Down for"}*\n${formatDuration(m.downtimeSeconds)}`);
  if (m.monitor.target) fields.push(`*Target*\n${e(m.monitor.target.slice(0, 300))}`);
  if (m.certValidTo) fields.push(`*Certificate valid until*\n${m.certValidTo.slice(0, 10)}`);
  return {
    text: e(`${emojiOf(m.kind)} ${m.title} — ${m.summary}`),
    blocks: [
      { type: "header", text: { type: "plain_text", text: `${emojiOf(m.kind)} ${m.title}`.slice(0, 150), emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: e(m.summary) || " " } },
      { type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in Perigee" }, url: m.url }] },
      { type: "context", elements: [{ type: "mrkdwn", text: `${m.occurredAt.replace("T", " ").slice(0, 19)} UTC` }] },
    ],
  };
}

/** Slack incoming webhook, Block Kit message. */
export const slack = defineProvider({
  type: "slack",
  label: "Slack",
  fields: { url: httpUrl("Slack webhook URL") },
  secrets: ["url"],
  urls: ["url"],
  form: [{ name: "url", label: "Slack incoming webhook URL", input: "url", placeholder: "https://hooks.slack.com/services/…" }],
  view: { url: { schema: view.masked, label: "URL" } },
  example: { url: "https://hooks.slack.com/services/T000/B000/XXXX" },
  async send({ secrets, message }) {
    const url = secrets.url;
    if (!url) throw new DeliveryError("The channel has no Slack webhook URL", false);
    // Loaded on first use: the registry is imported wherever the channel types are (the db schema).
    const { IncomingWebhook } = await import("@slack/webhook");
    let answer: { status: number; body: string } | undefined;
    // @slack/webhook builds and posts the message; our fetch carries it over the SSRF-guarded client.
    const hook = new IncomingWebhook(url, {
      fetch: (async (input: string | URL, init?: RequestInit) => {
        const a = judge(await postRaw(String(input), String(init?.body ?? ""), { "content-type": "application/json" }, { guard: true }), "Slack");
        answer = a;
        return new Response(a.body, { status: a.status });
      }) as typeof fetch,
    });
    try {
      await hook.send(renderSlack(message));
    } catch (e) {
      const cause = (e as { original?: unknown }).original ?? e;
      if (cause instanceof DeliveryError) throw cause;
      if (e instanceof DeliveryError) throw e;
      throw new DeliveryError(`Slack: ${(e as Error).message}`, true);
    }
    return { httpStatus: answer?.status ?? 200, response: answer?.body ?? null };
  },
});
