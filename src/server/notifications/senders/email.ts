import { esc, layout, sendMail } from "../../mail/mailer";
import { DeliveryError } from "../http";
import { emojiOf, formatDuration, type AlertMessage } from "../message";
import type { Sender } from "./types";

export function renderEmail(m: AlertMessage): { subject: string; text: string; html: string } {
  const rows: [string, string][] = [["Monitor", m.monitor.name]];
  if (m.monitor.target) rows.push(["Target", m.monitor.target]);
  rows.push(["State", m.state]);
  if (m.cause) rows.push(["Cause", m.cause]);
  if (m.statusCode) rows.push(["HTTP status", String(m.statusCode)]);
  if (m.downtimeSeconds !== null) rows.push([m.kind === "recovered" ? "Downtime" : "Down for", formatDuration(m.downtimeSeconds)]);
  if (m.certValidTo) rows.push(["Certificate valid until", m.certValidTo.slice(0, 10)]);
  rows.push(["When", `${m.occurredAt.replace("T", " ").slice(0, 19)} UTC`]);
  const text = [`${m.title}`, "", m.summary, "", ...rows.map(([k, v]) => `${k}: ${v}`), "", `Open in Perigee: ${m.url}`, "", "You receive this because this address is a notification channel of your Perigee organization."].join("\n");
  const html = layout(
    `${emojiOf(m.kind)} ${m.title}`,
    `<p style="margin:0 0 16px">${esc(m.summary)}</p>
<table style="border-collapse:collapse;margin:0 0 16px">${rows.map(([k, v]) => `<tr><td style="padding:4px 12px 4px 0;color:#5b6475">${esc(k)}</td><td style="padding:4px 0">${esc(v)}</td></tr>`).join("")}</table>
<p><a href="${esc(m.url)}" style="display:inline-block;background:#1f4fd1;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Open in Perigee</a></p>
<p style="color:#5b6475;font-size:12px;margin-top:24px">You receive this because this address is a notification channel of your Perigee organization.</p>`,
  );
  return { subject: `[Perigee] ${emojiOf(m.kind)} ${m.title}`, text, html };
}

export const sendEmail: Sender = async ({ channel, message }) => {
  const to = channel.config.to as string[] | undefined;
  if (!to?.length) throw new DeliveryError("The channel has no recipients", false);
  const mail = renderEmail(message);
  try {
    await sendMail({ to: to.join(", "), ...mail });
  } catch (e) {
    const err = e as Error & { responseCode?: number; response?: string };
    // SMTP 5xx: the server refuses the message or recipient for good; 4xx and network errors are temporary.
    const permanent = typeof err.responseCode === "number" && err.responseCode >= 500;
    throw new DeliveryError(`The mail server refused the message: ${err.response ?? err.message}`, !permanent, null, err.response ?? null);
  }
  return { httpStatus: null, response: `accepted for ${to.length} recipient${to.length > 1 ? "s" : ""}` };
};
