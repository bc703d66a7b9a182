import { env } from "../../env";
import { esc } from "../../mail/mailer";
import { DeliveryError, judge, postRaw } from "../http";
import { emojiOf, formatDuration, type AlertMessage } from "../message";
import type { Sender } from "./types";

export function renderTelegram(m: AlertMessage): string {
  const lines = [`${emojiOf(m.kind)} <b>${esc(m.title)}</b>`, esc(m.summary)];
  if (m.monitor.target) lines.push(`Target: <code>${esc(m.monitor.target.slice(0, 300))}</code>`);
  if (m.downtimeSeconds !== null && m.kind !== "reminder") lines.push(`Downtime: ${formatDuration(m.downtimeSeconds)}`);
  lines.push(`<a href="${esc(m.url)}">Open in Perigee</a>`);
  return lines.join("\n");
}

export const sendTelegram: Sender = async ({ channel, secrets, message }) => {
  if (!secrets.botToken) throw new DeliveryError("The channel has no bot token", false);
  const custom = channel.config.baseUrl as string | undefined;
  const url = `${(custom ?? env().TELEGRAM_API_URL).replace(/\/$/, "")}/bot${secrets.botToken}/sendMessage`;
  const body = JSON.stringify({ chat_id: channel.config.chatId, text: renderTelegram(message), parse_mode: "HTML", disable_web_page_preview: true });
  let a;
  try {
    a = judge(await postRaw(url, body, { "content-type": "application/json" }, { guard: Boolean(custom) }), "Telegram");
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
};

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
