import "server-only";
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import { getConfig } from "../config";
import { isSecureRequest, REFRESH_COOKIE_PATH } from "./cookies";
import { getKeys } from "./keys";

/**
 * Known-device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
 * Cookies"): the answer to an attacker who keeps an account locked by
 * guessing its password ten times per window, forever.
 *
 * A browser that has signed in to an account with the right password gets a
 * cookie naming a random device id, signed together with the account's
 * e-mail. Its later password checks for THAT account are judged by a limit
 * of their own (lib/auth/rate-limit.ts, `trusted`), not by the account's: the
 * attacker, who has never signed in, stays behind the account's growing
 * back-off while the owner's own browsers keep signing in. Their failures
 * still count against the account, so the account limit reads the same to
 * everyone else.
 *
 * The cookie grants nothing by itself: no session, no access, only a separate
 * guessing budget for one e-mail. It is HttpOnly, SameSite=Strict and scoped
 * to /api/auth (the only place it is read), and it survives sign-out: a
 * device stays known, which is the point.
 */
const NAME = { plain: "device", secure: "__Secure-device" };
const ID = /^[0-9a-f-]{36}$/;

export function deviceCookieName(secure: boolean): string {
  return secure ? NAME.secure : NAME.plain;
}

function sign(key: Parameters<typeof createHmac>[1], deviceId: string, email: string): Buffer {
  return createHmac("sha256", key).update(`device:${deviceId}:${email}`).digest();
}

/**
 * The device id when the request carries a genuine device cookie for this
 * (normalised) e-mail, else null. Any still-trusted key verifies, so a secret
 * rotation keeps devices known.
 */
export async function knownDevice(request: Request, email: string): Promise<string | null> {
  const raw = parseCookie(request.headers.get("cookie") ?? "")[deviceCookieName(isSecureRequest(request))];
  const [deviceId, mac, ...rest] = (raw ?? "").split(".");
  if (rest.length || !deviceId || !mac || !ID.test(deviceId)) return null;
  const given = Buffer.from(mac, "base64url");
  const { byKid } = await getKeys();
  for (const set of byKid.values()) {
    const expected = sign(set.device, deviceId, email);
    if (expected.length === given.length && timingSafeEqual(expected, given)) return deviceId;
  }
  return null;
}

/**
 * Marks this browser as known for `email` after a successful password check
 * (keeping its id when it already had one). Max-Age is the sign-in life: a
 * device that has not signed in for that long is a stranger again.
 */
export async function rememberDevice(headers: Headers, request: Request, email: string, deviceId: string | null): Promise<void> {
  const id = deviceId ?? randomUUID();
  const { current } = await getKeys();
  const secure = isSecureRequest(request);
  const value = `${id}.${sign(current.device, id, email).toString("base64url")}`;
  headers.append(
    "Set-Cookie",
    stringifySetCookie({ name: deviceCookieName(secure), value, httpOnly: true, sameSite: "strict", path: REFRESH_COOKIE_PATH, secure, maxAge: getConfig().AUTH_REFRESH_TTL }),
  );
}
