import { z } from "zod";
import { env } from "../../env";
import { DeliveryError, postRaw, retryAfterMs, type HttpAnswer } from "../http";
import { formatDuration, type AlertMessage } from "../message";
import { baseUrl, view } from "./fields";
import { defineProvider, endpointOf, type ApiUrlSetting } from "./provider";

const API: ApiUrlSetting = { env: "TWILIO_API_URL", default: "https://api.twilio.com", what: "Twilio REST API" };

/**
 * One SMS segment is 160 GSM-7 characters (70 once any character falls outside GSM-7, such
 * as an emoji). The text is kept to plain ASCII and cut to fit one segment.
 */
export const SMS_SEGMENT = 160;

const ascii = (s: string) =>
  s
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, "-")
    .replace(/…/g, "...")
    .replace(/[^\x20-\x7E\n]/g, "");

export function renderSms(m: AlertMessage): string {
  const head = ascii(
    m.kind === "recovered"
      ? `Perigee: ${m.monitor.name} is UP again after ${formatDuration(m.downtimeSeconds)}.`
      : m.kind === "reminder"
        ? `Perigee: ${m.monitor.name} still DOWN (${formatDuration(m.downtimeSeconds)}).`
        : `Perigee: ${m.title}.`,
  );
  const link = ` ${m.url}`;
  const detail = m.cause && m.kind !== "recovered" ? ascii(` ${m.cause}.`) : "";
  let text = head + detail + link;
  if (text.length > SMS_SEGMENT) {
    // Shorten the detail first, then the name; the link stays whole when it fits.
    const room = SMS_SEGMENT - head.length - link.length;
    text = room > 10 ? head + detail.slice(0, room - 3).trimEnd() + "..." + link : (head + detail).slice(0, SMS_SEGMENT - 3) + "...";
  }
  return text;
}

/**
 * Twilio's client over our transport: a channel's own base URL is customer-supplied, so it
 * goes through the SSRF guard with the checked address pinned, like every other channel.
 */
function guardedTwilioHttp(guard: boolean, seen: { last: HttpAnswer | null }) {
  return {
    async request(o: { method: string; uri: string; username?: string; password?: string; headers?: Record<string, string>; data?: Record<string, unknown> }) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(o.data ?? {})) {
        if (v === undefined || v === null) continue;
        for (const x of Array.isArray(v) ? v : [v]) form.append(k, String(x));
      }
      const headers = { ...o.headers, authorization: `Basic ${Buffer.from(`${o.username ?? ""}:${o.password ?? ""}`).toString("base64")}` };
      const a = await postRaw(o.uri, form.toString(), headers, { guard, method: o.method.toUpperCase(), maxBody: 64 * 1024 });
      seen.last = a;
      return { statusCode: a.status, body: a.body, headers: a.headers };
    },
  };
}

const e164 = z
  .string({ error: "Phone number is required" })
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "Use the international format with country code, e.g. +14155550123");

/** SMS through Twilio: the channel's own account, or the install's TWILIO_* settings. */
export const sms = defineProvider({
  type: "sms",
  label: "SMS",
  formLabel: "SMS (Twilio)",
  fields: {
    to: e164,
    /** Optional: the install's TWILIO_* settings are used when absent. */
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, "Account SID looks like AC followed by 32 hex characters")
      .optional(),
    authToken: z.string().trim().min(8, "Auth token looks too short").max(128).optional(),
    from: e164.optional(),
    baseUrl: baseUrl(),
  },
  rules: [
    // The install's Twilio credentials only ever go to the install's TWILIO_API_URL.
    { check: (v) => !v.baseUrl || Boolean(v.accountSid && v.authToken), path: "baseUrl", message: "A custom Twilio base URL needs this channel's own account SID and auth token" },
  ],
  // The account SID is sealed too: with the token it is the whole credential.
  secrets: ["accountSid", "authToken"],
  urls: ["baseUrl"],
  form: [
    { name: "to", label: "Phone number", hint: "International format", placeholder: "+14155550123" },
    { name: "from", label: "Sender number (optional)", hint: "Defaults to the server's TWILIO_FROM", placeholder: "+14155550100" },
    { name: "accountSid", label: "Twilio account SID (optional)", placeholder: "AC…" },
    { name: "authToken", label: "Twilio auth token (optional)" },
    { name: "baseUrl", label: "Twilio API base URL (optional)", input: "url" },
  ],
  view: {
    to: { schema: view.text, label: "to" },
    from: { schema: view.text, label: "from" },
    accountSid: { schema: view.masked, label: "account" },
    authToken: { schema: view.masked, label: "auth token" },
    baseUrl: { schema: view.text, label: "via" },
  },
  example: { to: "+14155550123", from: "+14155550100", accountSid: "AC0123456789abcdef0123456789abcdef", authToken: "twilio-auth-token" },
  apiUrls: [API],
  async send({ channel, secrets, message }) {
    const e = env();
    const customBase = channel.config.baseUrl as string | undefined;
    // Channels saved before the SID was sealed have it in config until their next save.
    const ownSid = secrets.accountSid ?? (channel.config.accountSid as string | undefined);
    const ownToken = secrets.authToken;
    // The install's credentials go only to the install's TWILIO_API_URL, never to a URL a
    // customer chose: a channel with its own base URL must bring its own credentials.
    if (customBase && !(ownSid && ownToken)) {
      throw new DeliveryError("A custom Twilio base URL needs the channel's own account SID and auth token", false);
    }
    const accountSid = ownSid ?? e.TWILIO_ACCOUNT_SID;
    const authToken = ownToken ?? e.TWILIO_AUTH_TOKEN;
    const from = (channel.config.from as string | undefined) ?? e.TWILIO_FROM;
    if (!accountSid || !authToken || !from) throw new DeliveryError("SMS is not configured: set the channel's Twilio account SID, auth token and sender number, or TWILIO_* on the server", false);
    const seen: { last: HttpAnswer | null } = { last: null };
    const { base, guard } = endpointOf(customBase, API);
    // Loaded on first use: the registry is imported wherever the channel types are (the db schema).
    const { default: twilio } = await import("twilio");
    const client = twilio(accountSid, authToken, { autoRetry: false, timeout: e.NOTIFY_TIMEOUT_MS, httpClient: guardedTwilioHttp(guard, seen) as never });
    client.api.baseUrl = base;
    try {
      const msg = await client.messages.create({ to: channel.config.to as string, from, body: renderSms(message) });
      return { httpStatus: 201, response: `queued as ${msg.sid} (${msg.status ?? "queued"})` };
    } catch (err) {
      if (err instanceof DeliveryError) throw new DeliveryError(`Twilio: ${err.message}`, err.retryable, err.httpStatus, err.response, err.retryAfterMs);
      const a = seen.last;
      if (a && (a.status < 200 || a.status >= 300)) {
        // Twilio's error body is JSON with a message; anything else is shown as it came.
        let detail = a.body.replace(/\s+/g, " ").trim().slice(0, 300);
        try {
          const j = JSON.parse(a.body) as { message?: unknown };
          if (typeof j.message === "string" && j.message) detail = j.message;
        } catch {
          // not JSON
        }
        const retryable = a.status >= 500 || a.status === 408 || a.status === 429;
        // Twilio echoes the account SID in its error paths; the error is stored and shown, the SID is sealed.
        const hide = (t: string) => t.replaceAll(accountSid, "AC…");
        throw new DeliveryError(`Twilio answered HTTP ${a.status}${detail ? `: ${hide(detail)}` : ""}`, retryable, a.status, hide(a.body.slice(0, 1000)), retryAfterMs(a.headers["retry-after"]));
      }
      throw new DeliveryError(`Could not reach Twilio: ${(err as Error).message}`, true);
    }
  },
});
