import { DeliveryError, postJson } from "../http";
import { emojiOf, formatDuration, type AlertKind, type AlertMessage } from "../message";
import { httpUrl, view } from "./fields";
import { defineProvider } from "./provider";

/**
 * Discord markdown: `*_~|` format, backticks open code, `[…](…)` masks a link, `>`, `#` and
 * `-` start quotes, headings and lists, `<…>` makes mentions and timestamps. Everything we did
 * not write ourselves is escaped so it shows as typed, and @everyone/@here get a zero-width
 * space so they cannot ping even where Discord would parse them (allowed_mentions also stops it).
 */
const discordEscape = (s: string) => s.replace(/[\\*_~`|[\]()<>#-]/g, "\\$&").replace(/@(everyone|here)/gi, "@\u200b$1");

/** A value shown as inline code: nothing in it is markdown, a link or a mention. */
const code = (s: string) => `\`${s.replace(/`/g, "ˋ").replace(/@(everyone|here)/gi, "@\u200b$1")}\``;

/** Escapes, then cuts to Discord's limit for that part of an embed. */
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1).replace(/\\$/, "")}…` : s);

const COLOUR: Record<AlertKind, number> = {
  down: 0xd92d20,
  heartbeat_missed: 0xd92d20,
  reminder: 0xd92d20,
  recovered: 0x12b76a,
  up: 0x12b76a,
  degraded: 0xf79009,
  ssl_expiring: 0xf97316,
  test: 0x1f4fd1,
};

/** A Discord webhook message: one embed with the facts as fields, coloured by kind, linked back. */
function renderDiscord(m: AlertMessage) {
  const e = discordEscape;
  const fields: { name: string; value: string; inline?: boolean }[] = [
    { name: "Monitor", value: clip(e(m.monitor.name), 1024), inline: true },
    { name: "State", value: m.state, inline: true },
  ];
  if (m.downtimeSeconds !== null) fields.push({ name: m.kind === "recovered" ? "Downtime" : "Down for", value: formatDuration(m.downtimeSeconds), inline: true });
  if (m.cause) fields.push({ name: "Cause", value: clip(e(m.cause.slice(0, 500)), 1024) });
  if (m.monitor.target) fields.push({ name: "Target", value: clip(code(m.monitor.target.slice(0, 300)), 1024) });
  if (m.certValidTo) fields.push({ name: "Certificate valid until", value: m.certValidTo.slice(0, 10), inline: true });
  return {
    username: "Perigee",
    allowed_mentions: { parse: [] as string[] },
    embeds: [
      {
        title: clip(`${emojiOf(m.kind)} ${e(m.title)}`, 256),
        description: clip(e(m.summary), 4096),
        url: m.url,
        color: COLOUR[m.kind],
        fields,
        timestamp: m.occurredAt,
        footer: { text: "Perigee" },
      },
    ],
  };
}

/** Discord's 429 body says how long to wait (`retry_after`, seconds, fractional). */
function bodyRetryAfterMs(body: string | null): number | null {
  try {
    const s = (JSON.parse(body ?? "") as { retry_after?: unknown }).retry_after;
    return typeof s === "number" && s >= 0 ? Math.ceil(s * 1000) : null;
  } catch {
    return null;
  }
}

/** A Discord channel webhook (Server settings → Integrations → Webhooks). */
export const discord = defineProvider({
  type: "discord",
  label: "Discord",
  fields: { url: httpUrl("Discord webhook URL") },
  secrets: ["url"],
  urls: ["url"],
  form: [{ name: "url", label: "Discord webhook URL", hint: "Server settings → Integrations → Webhooks → Copy Webhook URL", input: "url", placeholder: "https://discord.com/api/webhooks/…" }],
  view: { url: { schema: view.masked, label: "URL" } },
  example: { url: "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz" },
  async send({ secrets, message }) {
    if (!secrets.url) throw new DeliveryError("The channel has no Discord webhook URL", false);
    try {
      const a = await postJson(secrets.url, renderDiscord(message), { guard: true, provider: "Discord" });
      return { httpStatus: a.status, response: a.body.slice(0, 1000) };
    } catch (e) {
      // The body's wait is exact (fractional seconds); the header may be rounded or absent.
      const wait = e instanceof DeliveryError && e.httpStatus === 429 ? bodyRetryAfterMs(e.response) : null;
      if (e instanceof DeliveryError && wait !== null) throw new DeliveryError(e.message, e.retryable, e.httpStatus, e.response, wait);
      throw e;
    }
  },
});
