import "server-only";
import Bowser from "bowser";
import { RateLimiterPrisma } from "rate-limiter-flexible";
import { getDb } from "../db";
import { log } from "../log";
import { newSignInMail } from "../mail/messages";
import { queueMail } from "../mail/send";

/** How long a browser and address stay known to an account after their last sign-in. */
const REMEMBER_SECONDS = 365 * 24 * 3600;

let store: RateLimiterPrisma | undefined;
function devices(): RateLimiterPrisma {
  // The rate-limit table is a shared key-value store with expiry: every
  // instance sees the same devices, and old entries disappear by themselves.
  store ??= new RateLimiterPrisma({ storeClient: getDb(), tableName: "rateLimit", keyPrefix: "device", points: 1, duration: REMEMBER_SECONDS });
  return store;
}

/** "Chrome on Linux": what a person recognises, not the raw User-Agent. */
export function deviceName(userAgent: string): string {
  if (!userAgent) return "an unknown browser";
  const { browser, os } = Bowser.parse(userAgent);
  const name = browser.name ?? "an unknown browser";
  return os.name ? `${name} on ${os.name}` : name;
}

const keyOf = (userId: string, address: string, device: string) => `${userId}|${address}|${device}`;

/** After registration: this browser and address are the account's own. Never rejects. */
export async function rememberDevice(userId: string, address: string, userAgent: string): Promise<void> {
  await devices()
    .set(keyOf(userId, address, deviceName(userAgent)), 1, REMEMBER_SECONDS)
    .catch((error) => log.warn({ err: error }, "could not remember the device"));
}

/**
 * After a sign-in: a browser (by name and system) from an address never seen
 * together on this account gets "New sign-in to Fresh Auth" mailed to the
 * account, with the time and a link to the sessions list. Routes run it
 * after their answer (`after()`), so a sign-in never waits on it. Never rejects.
 */
export async function noticeNewSignIn(user: { id: string; email: string }, address: string, userAgent: string, origin: string): Promise<void> {
  const device = deviceName(userAgent);
  const key = keyOf(user.id, address, device);
  await (async () => {
    const known = await devices().get(key);
    await devices().set(key, 1, REMEMBER_SECONDS);
    if (!known) queueMail("new_sign_in", newSignInMail({ to: user.email, origin, device, address, at: new Date() }));
  })().catch((error) => log.warn({ err: error }, "could not check for a new device"));
}
