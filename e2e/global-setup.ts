// The run's real SMTP server (tests/mail/smtp-sink.ts): the app's SMTP_URL
// points at it (playwright.config.ts), and each received message is saved to
// E2E_MAIL_DIR, where the test workers (other processes) read it.
import { rmSync } from "node:fs";
import { startSmtpSink } from "../tests/mail/smtp-sink";

export default async function globalSetup() {
  const dir = process.env.E2E_MAIL_DIR!;
  const sink = await startSmtpSink({ port: Number(process.env.E2E_SMTP_PORT), saveDir: dir });
  return async () => {
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
