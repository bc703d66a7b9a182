import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";

/** `headers`: extra header lines, e.g. List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058). */
export type Mail = { to: string; subject: string; text: string; html: string; headers?: Record<string, string> };

type Holder = { transport?: Transporter; url?: string };
const holder = ((globalThis as unknown as { __perigeeMail?: Holder }).__perigeeMail ??= {});

function transport(): Transporter {
  const url = env().SMTP_URL;
  if (!holder.transport || holder.url !== url) {
    // Bounded waits (nodemailer's defaults are minutes): a stalled mail server fails an alert
    // delivery or a test send within about NOTIFY_TIMEOUT_MS, and the retry policy takes over.
    // (nodemailer reads transport options from the URL's query; the operator's own win.)
    const t = env().NOTIFY_TIMEOUT_MS;
    let withTimeouts = url;
    try {
      const u = new URL(url);
      for (const [k, v] of [
        ["connectionTimeout", t],
        ["greetingTimeout", t],
        ["socketTimeout", 2 * t],
      ] as const)
        if (!u.searchParams.has(k)) u.searchParams.set(k, String(v));
      withTimeouts = u.toString();
    } catch {
      // Not a WHATWG URL nodemailer may still understand: use it as given.
    }
    holder.transport = nodemailer.createTransport(withTimeouts);
    holder.url = url;
  }
  return holder.transport;
}

/** Sends one message over SMTP (SMTP_URL). Throws on failure; callers decide what the user sees. */
export async function sendMail(mail: Mail): Promise<void> {
  await transport().sendMail({ from: env().MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
}

/** Escapes text for the HTML part of a message. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A plain, readable HTML wrapper shared by every message. */
export function layout(title: string, bodyHtml: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#14171f;background:#f7f8fa;padding:24px">
<div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #e3e6ec;border-radius:10px;padding:24px">
<p style="font-weight:700;margin:0 0 16px">Perigee</p><h1 style="font-size:20px;margin:0 0 12px">${esc(title)}</h1>${bodyHtml}
</div></body></html>`;
}
