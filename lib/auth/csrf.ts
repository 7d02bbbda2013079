import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { AuthError } from "../http/errors";
import { getKeys } from "./keys";

export const CSRF_HEADER = "x-csrf-token";
// Where a request comes from is HTTP's business (lib/http/same-origin.ts);
// re-exported so auth callers keep one import for "is this a CSRF risk".
export { assertSameOrigin, isUnsafeMethod } from "../http/same-origin";

/**
 * The CSRF value is an HMAC of the session id under its own derived key: it
 * is bound to the session, so a cookie planted by a sibling subdomain or a
 * man-in-the-middle on http never matches, and the server stores nothing.
 */
export async function csrfTokenFor(sessionId: string): Promise<string> {
  const { current } = await getKeys();
  return createHmac("sha256", current.csrf).update(sessionId).digest("base64url");
}

/** Whether `value` is this session's CSRF value under any key still trusted, so rotation signs nobody out. */
export async function csrfValueMatches(value: string, sessionId: string): Promise<boolean> {
  const { byKid } = await getKeys();
  const given = Buffer.from(value);
  for (const set of byKid.values()) {
    const expected = Buffer.from(createHmac("sha256", set.csrf).update(sessionId).digest("base64url"));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return true;
  }
  return false;
}

export async function assertCsrfToken(request: Request, sessionId: string): Promise<void> {
  const sent = request.headers.get(CSRF_HEADER);
  if (!sent) throw new AuthError("csrf_failed", { description: "The X-CSRF-Token header is missing." });
  if (!(await csrfValueMatches(sent, sessionId))) {
    throw new AuthError("csrf_failed", { description: "The X-CSRF-Token header does not match this session." });
  }
}
