import "server-only";
import { log } from "../log";
import { getTransport, type MailMessage } from "./transport";

/** Waits before the 2nd and 3rd attempt: a server restart or a greylisting pause passes. */
const RETRY_DELAYS_MS = [2_000, 10_000];

const inFlight = new Set<Promise<void>>();

/**
 * Mail leaves after the response (decision 700). The API's answer must not
 * depend on the mail server: a reset request for an unknown address has to
 * take as long as one for a real account, and a slow SMTP server must not
 * hold a request open. So sending is queued in this process and retried
 * twice; every failed attempt is logged, and the last one as an error naming
 * the message's kind and recipient (never its body: it holds the link).
 *
 * `kind` names the message in logs ("password_reset", …).
 */
export function queueMail(kind: string, message: MailMessage): void {
  const job = deliver(kind, message).finally(() => inFlight.delete(job));
  inFlight.add(job);
}

async function deliver(kind: string, message: MailMessage): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const sent = await getTransport().send(message);
      // The outbox's one log line names the file, so a developer finds the link.
      if (sent.file) log.info({ kind, file: sent.file }, `mail written to ${sent.file}`);
      else log.info({ kind, messageId: sent.messageId }, "mail sent");
      return;
    } catch (error) {
      const last = attempt >= RETRY_DELAYS_MS.length;
      const fields = { kind, to: message.to, attempt: attempt + 1, err: { message: (error as Error).message, code: (error as { code?: string }).code } };
      if (last) {
        log.error(fields, "mail not delivered: giving up");
        return;
      }
      log.warn(fields, "mail not delivered: will retry");
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    }
  }
}

/** For a graceful shutdown and for tests: waits for every queued message. */
export async function drainMail(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}
