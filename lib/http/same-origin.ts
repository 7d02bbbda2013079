import "server-only";
import { getConfig } from "../config";
import { AuthError } from "./errors";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE.has(method.toUpperCase());
}

/**
 * Browsers say where a request comes from. Any unsafe request that a browser
 * marks as cross-site (or opaque: `Origin: null` from sandboxes, data: URLs,
 * some redirects) is refused, login and register included, which stops login
 * CSRF. Clients that send neither header (curl, servers) carry no ambient
 * browser credentials and are judged by the CSRF token alone.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    throw new AuthError("csrf_failed", { description: "Cross-site requests are not allowed." });
  }
  const origin = request.headers.get("origin");
  if (origin === null) return;
  if (origin === "null" || !sameOrigin(origin, request)) {
    throw new AuthError("csrf_failed", { description: "The request's Origin is not this application." });
  }
}

function sameOrigin(origin: string, request: Request): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const { APP_URL } = getConfig();
  if (APP_URL) return parsed.origin === APP_URL;
  // Without APP_URL the app's own origin is the one this request was sent
  // to: the Host the browser addressed (a cross-site page cannot make the
  // browser send our Host with its Origin) and the scheme it arrived over,
  // which Next takes from X-Forwarded-Proto behind a TLS proxy. The whole
  // origin counts: over http, an https page on our host is someone else (a
  // different service on the same name), and behind TLS an http page is one a
  // network attacker can write. X-Forwarded-Proto can be forged, but only by
  // a client that is not a browser, and those are judged by the CSRF token.
  const url = new URL(request.url);
  try {
    return parsed.origin === new URL(`${url.protocol}//${request.headers.get("host") ?? url.host}`).origin;
  } catch {
    return false; // a Host that is not a host names no origin of ours
  }
}
