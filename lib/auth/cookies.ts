import "server-only";
import { stringifySetCookie } from "cookie";
import { getConfig } from "../config";
import { AuthError } from "../http/errors";

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

/**
 * The same decision for server components, which see headers, not a URL:
 * Next puts the scheme it built `request.url` from in `X-Forwarded-Proto`.
 */
export function isSecureScheme(forwardedProto: string | null): boolean {
  const { APP_URL } = getConfig();
  if (APP_URL) return APP_URL.startsWith("https:");
  return forwardedProto?.includes("https") ?? false;
}

export type AuthCookies = Partial<Record<keyof CookieNames, string>>;

/** Every value of every cookie, in the order the browser sent them. */
function cookieValues(header: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded after all: kept as sent (it will not verify).
    }
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return values;
}

/**
 * The auth cookies of ONE scheme, from a Cookie header. A name sent twice is
 * refused, never resolved: `Domain=` lets a sibling subdomain plant its own
 * copy beside ours (over https too, for `__Secure-refresh_token`), with a
 * longer Path so that it is sent first, and browsers say nothing about which
 * is which. Taking the first let a planted refresh token sign the victim out
 * (its 401 cleared the real cookies) or swap them into the attacker's
 * account; taking the last is no better. So the request is refused with a
 * 403 that clears nothing. The other scheme's names are never read: over
 * https a plain `access_token` is whatever a sibling or an http
 * man-in-the-middle put there.
 */
export function readAuthCookies(header: string, secure: boolean): AuthCookies {
  const names = cookieNames(secure);
  const all = cookieValues(header);
  const found: AuthCookies = {};
  for (const key of Object.keys(names) as (keyof CookieNames)[]) {
    const values = all.get(names[key]);
    if (!values) continue;
    if (values.length > 1) {
      throw new AuthError("csrf_failed", {
        description: `More than one cookie named ${names[key]} arrived; another site on this domain may have planted one. Nothing was changed.`,
      });
    }
    found[key] = values[0];
  }
  return found;
}

export function readCookies(request: Request): AuthCookies {
  return readAuthCookies(request.headers.get("cookie") ?? "", isSecureRequest(request));
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

/**
 * Clears BOTH name sets. A host that moved from http to https still holds
 * the plain cookies of its http days (and the reverse after a rollback);
 * clearing only this scheme's names left them to come back on every page load.
 * The prefixed names are always cleared with `Secure`, which their prefix
 * demands (over http a browser simply ignores those lines).
 */
export function clearSessionCookies(headers: Headers, secure: boolean): void {
  for (const prefixed of [secure, !secure]) {
    const names = cookieNames(prefixed);
    const gone = { value: "", maxAge: 0, expires: new Date(0), secure: prefixed || secure };
    headers.append("Set-Cookie", stringifySetCookie({ name: names.access, ...gone, httpOnly: true, sameSite: "lax", path: "/" }));
    headers.append("Set-Cookie", stringifySetCookie({ name: names.refresh, ...gone, httpOnly: true, sameSite: "strict", path: REFRESH_COOKIE_PATH }));
    headers.append("Set-Cookie", stringifySetCookie({ name: names.csrf, ...gone, sameSite: "lax", path: "/" }));
  }
}
