// Reading what the run's SMTP server received (e2e/global-setup.ts).
import { linkIn, readSavedMail, waitForSavedMail, type ReceivedMail } from "../tests/mail/smtp-sink";

function dir(): string {
  const value = process.env.E2E_MAIL_DIR;
  if (!value) throw new Error("E2E_MAIL_DIR is not set: run through playwright.config.ts");
  return value;
}

/** How many messages have arrived so far: pass it to `mailTo` to wait only for newer ones. */
export const mailCount = () => readSavedMail(dir()).length;

export function mailTo(to: string, subject: string, since = 0): Promise<ReceivedMail> {
  return waitForSavedMail(dir(), (m) => m.seq >= since && m.to.includes(to.toLowerCase()) && m.subject === subject, 15_000);
}

export { linkIn };
