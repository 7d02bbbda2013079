import "server-only";
import { parseCookie, stringifySetCookie } from "cookie";
import { getConfig } from "../config";

export interface CookieNames {
  access: string;
  refresh: string;
  csrf: string;
}

/**
 * Over https the cookies are Secure and prefixed, which browsers enforce:
 * `__Host-` cannot be set by a subdomain nor scoped to a path or domain, and
 * `__Secure-` (the refresh cookie needs Path=/api/auth) cannot be set over
 * plain http. Over http (dev, tests) the prefixes would make browsers drop the
 * cookies, so the plain names are used there.
 */
export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { access: "__Host-access_token", refresh: "__Secure-refresh_token", csrf: "__Host-csrf_token" }
    : { access: "access_token", refresh: "refresh_token", csrf: "csrf_token" };
}

export const REFRESH_COOKIE_PATH = "/api/auth";

/**
 * https when APP_URL says so; without APP_URL, when the request's URL does.
 *
 * Next.js builds `request.url`'s scheme from `X-Forwarded-Proto` (the header a
 * TLS-terminating proxy adds), whatever AUTH_TRUST_PROXY says, so behind such
 * a proxy the cookies are Secure and prefixed with no configuration. Honouring
 * the header from anyone is harmless here: it only picks the names and flags
 * of the cookies in the sender's OWN response, and a cross-site page cannot
 * add it to a victim's request without a CORS preflight, which is never
 * granted. (AUTH_TRUST_PROXY is about the client ADDRESS, where a forged
 * header would matter.) Set APP_URL to decide it once for every request.
 */
export function isSecureRequest(request: Request): boolean {
  const { APP_URL } = getConfig();
  if (APP_URL) return APP_URL.startsWith("https:");
  return new URL(request.url).protocol === "https:";
}

export function readCookies(request: Request): Partial<Record<keyof CookieNames, string>> {
  const names = cookieNames(isSecureRequest(request));
  const all = parseCookie(request.headers.get("cookie") ?? "");
  return { access: all[names.access], refresh: all[names.refresh], csrf: all[names.csrf] };
}

export interface SessionCookies {
  access: string;
  /** Omitted when the refresh token does not change (fresh-login). */
  refresh?: string;
  csrf: string;
  /** The session's remaining life: every cookie dies with the session. */
  maxAgeSeconds: number;
}

export function setSessionCookies(headers: Headers, secure: boolean, cookies: SessionCookies): void {
  const names = cookieNames(secure);
  const maxAge = Math.max(0, Math.floor(cookies.maxAgeSeconds));
  // Lax, not Strict, on the access cookie: a link from another site must land
  // signed in. Unsafe methods are guarded by the CSRF token and Origin checks.
  headers.append("Set-Cookie", stringifySetCookie({ name: names.access, value: cookies.access, httpOnly: true, sameSite: "lax", path: "/", secure, maxAge }));
  if (cookies.refresh !== undefined) {
    // Strict and path-scoped: the refresh token only ever travels to
    // /api/auth/* and never on a cross-site request.
    headers.append("Set-Cookie", stringifySetCookie({ name: names.refresh, value: cookies.refresh, httpOnly: true, sameSite: "strict", path: REFRESH_COOKIE_PATH, secure, maxAge }));
  }
  // Readable by scripts on purpose: the page copies it into X-CSRF-Token.
  headers.append("Set-Cookie", stringifySetCookie({ name: names.csrf, value: cookies.csrf, sameSite: "lax", path: "/", secure, maxAge }));
}

export function clearSessionCookies(headers: Headers, secure: boolean): void {
  const names = cookieNames(secure);
  const gone = { value: "", maxAge: 0, expires: new Date(0), secure };
  headers.append("Set-Cookie", stringifySetCookie({ name: names.access, ...gone, httpOnly: true, sameSite: "lax", path: "/" }));
  headers.append("Set-Cookie", stringifySetCookie({ name: names.refresh, ...gone, httpOnly: true, sameSite: "strict", path: REFRESH_COOKIE_PATH }));
  headers.append("Set-Cookie", stringifySetCookie({ name: names.csrf, ...gone, sameSite: "lax", path: "/" }));
}
