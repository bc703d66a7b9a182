import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export type CapturedMail = { to: string; subject: string; text: string; html: string };

/** Waits for a message to `to` in the e2e SMTP server's outbox directory. */
export async function waitForMail(to: string, subjectIncludes: string, timeoutMs = 15_000): Promise<CapturedMail> {
  const dir = process.env.E2E_MAIL_DIR!;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of readdirSync(dir).sort()) {
      const m = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as CapturedMail;
      if (m.to.toLowerCase().includes(to.toLowerCase()) && m.subject.includes(subjectIncludes)) return m;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`No mail to ${to} with subject containing "${subjectIncludes}" within ${timeoutMs} ms`);
}
