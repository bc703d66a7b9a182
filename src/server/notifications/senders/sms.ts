import twilio from "twilio";
import { env } from "../../env";
import { DeliveryError, postRaw, retryAfterMs, type HttpAnswer } from "../http";
import { formatDuration, type AlertMessage } from "../message";
import type { Sender } from "./types";

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

export const sendSms: Sender = async ({ channel, secrets, message }) => {
  const e = env();
  const customBase = channel.config.baseUrl as string | undefined;
  const ownSid = channel.config.accountSid as string | undefined;
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
  const client = twilio(accountSid, authToken, { autoRetry: false, timeout: e.NOTIFY_TIMEOUT_MS, httpClient: guardedTwilioHttp(Boolean(customBase), seen) as never });
  client.api.baseUrl = (customBase ?? e.TWILIO_API_URL).replace(/\/$/, "");
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
      throw new DeliveryError(`Twilio answered HTTP ${a.status}${detail ? `: ${detail}` : ""}`, retryable, a.status, a.body.slice(0, 1000), retryAfterMs(a.headers["retry-after"]));
    }
    throw new DeliveryError(`Could not reach Twilio: ${(err as Error).message}`, true);
  }
};
