import "server-only";
import type { AuthCookies } from "./cookies";
import { csrfValueMatches } from "./csrf";
import { verifyToken } from "./tokens";

export type Binding = "match" | "mismatch" | "absent";

/**
 * Do this browser's host-only cookies name the session a refresh token
 * belongs to? Over https the access and CSRF cookies are `__Host-`: no
 * sibling subdomain can set them. The refresh cookie is `__Secure-` (it needs
 * Path=/api/auth), and `__Secure-` allows `Domain=`, so a sibling CAN plant
 * one: its own session's, to swap the victim into the attacker's account.
 * Tying the refresh token to the `__Host-` cookies' session closes that.
 * An expired access token still names its session; either cookie will do.
 * (Over plain http no cookie is host-only; see docs/security.md.)
 */
export async function hostCookiesBinding(cookies: AuthCookies, sessionId: string): Promise<Binding> {
  // The CSRF cookie first: one HMAC, where the access token costs a signature check.
  if (cookies.csrf && (await csrfValueMatches(cookies.csrf, sessionId))) return "match";
  if (cookies.access) {
    const claims = await verifyToken(cookies.access, "access", { allowExpired: true }).catch(() => null);
    if (claims?.sid === sessionId) return "match";
  }
  return cookies.access || cookies.csrf ? "mismatch" : "absent";
}
