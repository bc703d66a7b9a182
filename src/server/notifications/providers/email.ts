import { z } from "zod";
import { esc, layout, sendMail } from "../../mail/mailer";
import { DeliveryError } from "../http";
import { emojiOf, formatDuration, type AlertMessage } from "../message";
import { view } from "./fields";
import { defineProvider } from "./provider";

const isEmail = (v: string) => z.email().safeParse(v).success;
const emailList = z
  .union([z.string(), z.array(z.string())], { error: "Give one or more email addresses" })
  .transform((v) => (Array.isArray(v) ? v : v.split(/[,;\s]+/)).map((s) => s.trim()).filter(Boolean))
  .refine((v) => v.length > 0, "Give at least one email address")
  .refine((v) => v.length <= 20, "At most 20 recipients")
  .refine((v) => v.every(isEmail), { error: (iss) => `Not an email address: ${(iss.input as string[]).find((x) => !isEmail(x)) ?? ""} (expected e.g. ops@example.com)` });

export function renderEmail(m: AlertMessage): { subject: string; text: string; html: string } {
  const rows: [string, string][] = [["Monitor", m.monitor.name]];
  if (m.monitor.target) rows.push(["Target", m.monitor.target]);
  rows.push(["State", m.state]);
  if (m.cause) rows.push(["Cause", m.cause]);
  if (m.statusCode) rows.push(["HTTP status", String(m.statusCode)]);
  if (m.downtimeSeconds !== null) rows.push([m.kind === "recovered" ? "Downtime" : "Down for", formatDuration(m.downtimeSeconds)]);
  if (m.certValidTo) rows.push(["Certificate valid until", m.certValidTo.slice(0, 10)]);
  rows.push(["When", `${m.occurredAt.replace("T", " ").slice(0, 19)} UTC`]);
  const text = [
    `${m.title}`,
    "",
    m.summary,
    "",
    ...rows.map(([k, v]) => `${k}: ${v}`),
    "",
    `Open in Perigee: ${m.url}`,
    "",
    "You receive this because this address is a notification channel of your Perigee organization.",
  ].join("\n");
  const html = layout(
    `${emojiOf(m.kind)} ${m.title}`,
    `<p style="margin:0 0 16px">${esc(m.summary)}</p>
<table style="border-collapse:collapse;margin:0 0 16px">${rows.map(([k, v]) => `<tr><td style="padding:4px 12px 4px 0;color:#5b6475">${esc(k)}</td><td style="padding:4px 0">${esc(v)}</td></tr>`).join("")}</table>
<p><a href="${esc(m.url)}" style="display:inline-block;background:#1f4fd1;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Open in Perigee</a></p>
<p style="color:#5b6475;font-size:12px;margin-top:24px">You receive this because this address is a notification channel of your Perigee organization.</p>`,
  );
  return { subject: `[Perigee] ${emojiOf(m.kind)} ${m.title}`, text, html };
}

/** Email over the install's SMTP server (SMTP_URL), HTML and text. */
export const email = defineProvider({
  type: "email",
  label: "Email",
  fields: { to: emailList },
  secrets: [],
  urls: [],
  form: [{ name: "to", label: "Recipients", hint: "One or more addresses, separated by commas", placeholder: "ops@example.com, oncall@example.com" }],
  view: { to: { schema: view.list, label: "to" } },
  example: { to: "ops@example.com" },
  async send({ channel, message }) {
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
  },
});
