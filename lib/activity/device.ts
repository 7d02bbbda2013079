import "server-only";
import Bowser from "bowser";

/**
 * "Chrome on macOS" from a user agent, for the activity sentences. Parsed
 * when events are listed, not when they are recorded: the stored user agent
 * stays the record, and a newer parser names old events better too.
 */
export function deviceName(userAgent: string): string {
  if (!userAgent) return "an unknown device";
  const { browser, os } = Bowser.parse(userAgent);
  const name = browser.name;
  if (name && os.name) return `${name} on ${os.name}`;
  return name || os.name || "an unknown device";
}
