import { z } from "zod";
import { esc } from "../../mail/mailer";
import { DeliveryError, judge, postRaw } from "../http";
import { emojiOf, formatDuration, type AlertMessage } from "../message";
import { baseUrl, view } from "./fields";
import { defineProvider, endpointOf, type ApiUrlSetting } from "./provider";

const API: ApiUrlSetting = { env: "TELEGRAM_API_URL", default: "https://api.telegram.org", what: "Telegram Bot API" };

export function renderTelegram(m: AlertMessage): string {
  const lines = [`${emojiOf(m.kind)} <b>${esc(m.title)}</b>`, esc(m.summary)];
  if (m.monitor.target) lines.push(`Target: <code>${esc(m.monitor.target.slice(0, 300))}</code>`);
  if (m.downtimeSeconds !== null && m.kind !== "reminder") lines.push(`Downtime: ${formatDuration(m.downtimeSeconds)}`);
  lines.push(`<a href="${esc(m.url)}">Open in Perigee</a>`);
  return lines.join("\n");
}

/** A Telegram bot posting to a chat, group or channel (HTML parse mode, every value escaped). */
export const telegram = defineProvider({
  type: "telegram",
  label: "Telegram",
  fields: {
    botToken: z
      .string({ error: "Bot token is required" })
      .trim()
      .regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, "Bot token looks like 123456789:AA… (from @BotFather)"),
    chatId: z
      .union([z.string(), z.number()], { error: "Chat id is required" })
      .transform(String)
      .pipe(
        z
          .string()
          .trim()
          .regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "Chat id is a number (e.g. -1001234567890) or @channelname"),
      ),
    baseUrl: baseUrl(),
  },
  secrets: ["botToken"],
  urls: ["baseUrl"],
  form: [
    { name: "botToken", label: "Bot token", hint: "From @BotFather", placeholder: "123456789:AA…" },
    { name: "chatId", label: "Chat id", placeholder: "-1001234567890 or @channel" },
    { name: "baseUrl", label: "Bot API base URL (optional)", input: "url" },
  ],
  view: { botToken: { schema: view.masked, label: "bot token" }, chatId: { schema: view.text, label: "chat" }, baseUrl: { schema: view.text, label: "via" } },
  example: { botToken: "123456789:AAE_test-token-0123456789abcdefghij", chatId: "-1001234567890" },
  apiUrls: [API],
  async send({ channel, secrets, message }) {
    if (!secrets.botToken) throw new DeliveryError("The channel has no bot token", false);
    const { base, guard } = endpointOf(channel.config.baseUrl, API);
    const url = `${base}/bot${secrets.botToken}/sendMessage`;
    const body = JSON.stringify({ chat_id: channel.config.chatId, text: renderTelegram(message), parse_mode: "HTML", disable_web_page_preview: true });
    let a;
    try {
      a = judge(await postRaw(url, body, { "content-type": "application/json" }, { guard }), "Telegram");
    } catch (e) {
      // Telegram explains itself in {"ok":false,"description":…}; show that, never the URL (it holds the token).
      if (e instanceof DeliveryError && e.response) {
        const desc = safeDescription(e.response);
        // A 429 says how long to wait in parameters.retry_after (seconds) when no header does.
        const retryAfter = e.retryAfterMs ?? bodyRetryAfterMs(e.response);
        if (desc) throw new DeliveryError(`Telegram answered HTTP ${e.httpStatus}: ${desc}`, e.retryable, e.httpStatus, e.response, retryAfter);
        if (retryAfter !== e.retryAfterMs) throw new DeliveryError(e.message, e.retryable, e.httpStatus, e.response, retryAfter);
      }
      throw e;
    }
    return { httpStatus: a.status, response: a.body.slice(0, 1000) };
  },
});

function bodyRetryAfterMs(body: string): number | null {
  try {
    const s = (JSON.parse(body) as { parameters?: { retry_after?: unknown } }).parameters?.retry_after;
    return typeof s === "number" && s >= 0 ? s * 1000 : null;
  } catch {
    return null;
  }
}

function safeDescription(body: string): string | null {
  try {
    const j = JSON.parse(body) as { description?: unknown };
    return typeof j.description === "string" ? j.description : null;
  } catch {
    return null;
  }
}
