import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import type { MailMessage, MailTransport } from "./transport";

/**
 * With no SMTP_URL, each message is rendered by nodemailer exactly as it would
 * go over the wire (headers, text and HTML parts) and written to one `.eml`
 * file, which any mail client opens. `npm start` thus needs no mail server,
 * and the reset link of a local account is one file away.
 *
 * Files are 0600 in a 0700 folder: they hold live link tokens.
 */
export function outboxTransport(dir: string, from: string): MailTransport {
  const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "outbox",
    async send(message: MailMessage) {
      const info = await render.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Sortable by time, unique across instances writing the same folder.
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
      const file = path.join(dir, name);
      // Written under a hidden name, then renamed: a reader listing *.eml (a
      // mail client, a test, someone waiting for a reset link) never opens a
      // file that is still empty or half written. rename() within one folder
      // is atomic.
      const partial = path.join(dir, `.${name}.partial`);
      await writeFile(partial, info.message as Buffer, { mode: 0o600, flag: "wx" });
      await rename(partial, file);
      return { messageId: info.messageId, file };
    },
  };
}
