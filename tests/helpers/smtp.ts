import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Smtp = {
  url: string;
  messages: ParsedMail[];
  waitFor(pred: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
};

/**
 * A real SMTP server on loopback that keeps every message it receives.
 * `rejectRecipient` refuses matching RCPT TO addresses (550), to exercise delivery failures.
 */
export async function startSmtp(opts: { rejectRecipient?: (address: string) => boolean } = {}): Promise<Smtp> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (opts.rejectRecipient?.(address.address)) return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      cb();
    },
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => {
        messages.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const m = messages.find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error("no matching mail arrived");
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export const toOf = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((t) => t.text).join(",") : (m.to?.text ?? ""));
