// A real SMTP server (smtp-server) on a free local port that keeps every
// message it receives, parsed with mailparser: tests point the app's SMTP_URL
// at it and read what a user's mailbox would. Shared by tests/http and e2e/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** Envelope recipients, lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
  receivedAt: number;
  /** Arrival order, from 0: `seq >= sink.messages.length` taken before a request means "sent after it". */
  seq: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** The next `count` messages are refused with a temporary error (451). */
  failNext(count: number): void;
  /** The first message (already here or still to come) that `match` accepts. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages to `to` so far. */
  to(address: string): ReceivedMail[];
  stop(): Promise<void>;
}

async function parse(raw: string, to: string[], from: string, seq: number): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  return { to, from, subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "", raw, receivedAt: Date.now(), seq };
}

/**
 * Starts the sink. `saveDir`: each message is also written there as
 * `<n>.json`, for readers in other processes (Playwright workers).
 */
export async function startSmtpSink(options: { port?: number; saveDir?: string } = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let failing = 0;
  let arrived = 0;
  if (options.saveDir) mkdirSync(options.saveDir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    // No certificate here: the app's nodemailer would refuse a self-signed one.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (failing > 0) {
          failing--;
          return callback(Object.assign(new Error("try again later"), { responseCode: 451 }));
        }
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const mail = await parse(Buffer.concat(chunks).toString("utf8"), to, from, arrived++);
        messages.push(mail);
        messages.sort((a, b) => a.seq - b.seq); // parsing is async: keep arrival order
        if (options.saveDir) writeFileSync(path.join(options.saveDir, `${String(mail.seq).padStart(6, "0")}.json`), JSON.stringify(mail));
        for (const wake of waiters) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    failNext: (count) => (failing = count),
    to: (address) => messages.filter((m) => m.to.includes(address.toLowerCase())),
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms; received: ${messages.map((m) => `${m.to.join(",")} "${m.subject}"`).join("; ") || "none"}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** For another process: the messages a sink started with `saveDir` has written so far. */
export function readSavedMail(dir: string): ReceivedMail[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return names.map((n) => JSON.parse(readFileSync(path.join(dir, n), "utf8")) as ReceivedMail);
}

/** Polls `dir` until a message matches. */
export async function waitForSavedMail(dir: string, match: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readSavedMail(dir).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail in ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The link with a token in a message's text part (the HTML part carries the same one). */
export function linkIn(mail: ReceivedMail): { url: string; path: string; token: string } {
  const match = /(https?:\/\/[^\s]+?)#token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no link with a token in "${mail.subject}":\n${mail.text}`);
  return { url: `${match[1]}#token=${match[2]}`, path: new URL(match[1]).pathname, token: match[2] };
}
