import "server-only";
import path from "node:path";
import nodemailer from "nodemailer";
import { getConfig } from "../config";
import { outboxTransport } from "./outbox";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SentMail {
  messageId: string;
  /** The outbox file, when there is no SMTP server. */
  file?: string;
}

export interface MailTransport {
  kind: "smtp" | "outbox";
  send(message: MailMessage): Promise<SentMail>;
}

/**
 * SMTP_URL set → nodemailer's SMTP transport: `smtps://` is TLS from the first
 * byte; `smtp://` upgrades with STARTTLS whenever the server offers it (and
 * checks the certificate). Unset → the outbox folder.
 */
function smtpTransport(url: string, from: string): MailTransport {
  const smtp = nodemailer.createTransport(url);
  return {
    kind: "smtp",
    async send(message) {
      const info = await smtp.sendMail({ from, ...message });
      return { messageId: info.messageId };
    },
  };
}

let cached: MailTransport | undefined;

export function getTransport(): MailTransport {
  if (cached) return cached;
  const { SMTP_URL, MAIL_FROM, MAIL_OUTBOX_DIR } = getConfig();
  cached = SMTP_URL ? smtpTransport(SMTP_URL, MAIL_FROM) : outboxTransport(path.resolve(process.cwd(), MAIL_OUTBOX_DIR), MAIL_FROM);
  return cached;
}
