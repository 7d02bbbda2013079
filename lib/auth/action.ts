import "server-only";
import { headers } from "next/headers";
import type { ActionFailure, ActionResult } from "../shared/action-result";
import { isDatabaseUnavailable } from "../http/faults";
import { log } from "../log";
import { isSecureRequest, readCookies } from "./cookies";
import { assertSameOrigin } from "./csrf";
import { AuthError } from "../http/errors";
import { assertFresh, loadLiveSession, type AccessAuth, type GuardOptions } from "./guard";
import { safeNextPath } from "./next-path";
import { verifyAccessToken } from "./verified-tokens";

export type { ActionFailure, ActionResult };

/**
 * What a guarded action gets: the same `auth` a route handler gets, plus the
 * action's request rebuilt as a route handler would see it, for the lib
 * functions that read it (client address and activity, link origin).
 */
export type ActionAuth = AccessAuth & { request: Request };

/**
 * A Server Action is a public POST endpoint: anyone who finds its id can call
 * it with any arguments. So it is checked exactly like a route handler — the
 * access cookie's signature and expiry, the live session row (revocation
 * takes effect at once), the freshness policy — plus a cross-site check.
 *
 * CSRF: an action cannot carry our X-CSRF-Token header (Next sends the
 * request), so the defence is the browser's own word on where the request
 * came from: an Origin (every browser sends one on a POST) that is the app's,
 * and no cross-site Sec-Fetch-Site. A request with neither header is not a
 * browser's, so it carries no ambient cookies an attacker could borrow; it is
 * refused anyway, since nothing but our own pages should call an action.
 * Next.js checks Origin against Host for actions too; this is the same rule
 * as the API's (APP_URL when set), and does not depend on Next's.
 */
export async function authenticateAction(request: Request, options: GuardOptions = {}): Promise<AccessAuth> {
  if (!request.headers.get("origin") && request.headers.get("sec-fetch-site") !== "same-origin") {
    throw new AuthError("csrf_failed", { description: "Server Actions are only for this application's own pages." });
  }
  assertSameOrigin(request);
  const token = readCookies(request).access;
  if (!token) throw new AuthError("authorization_required");
  const claims = await verifyAccessToken(token);
  const { user, expiresAt } = await loadLiveSession(claims);
  if (options.fresh) await assertFresh(claims, user.id, options.fresh);
  return { kind: "access", claims, user, sessionId: claims.sid, sessionExpiresAt: expiresAt, secure: isSecureRequest(request) };
}

/** The action's request as route handlers see one, rebuilt from next/headers. */
async function currentRequest(): Promise<Request> {
  const incoming = await headers();
  // Next sets X-Forwarded-Proto/Host on every request it serves; request.url
  // in route handlers is built from the same two.
  const proto = incoming.get("x-forwarded-proto")?.split(",")[0] ?? "http";
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost";
  return new Request(`${proto}://${host}/`, { method: "POST", headers: incoming });
}

export function toFailure(error: AuthError): ActionFailure {
  const { fields, maxAge, level, methods, retryAfter } = error.options;
  return { ok: false, error: error.code, description: error.message, fields, maxAge, level, methods, retryAfter };
}

/**
 * A form posted before hydration (Next's `Next-Action` header is missing: the
 * action id rides in the form body) has no script to renew an expired token.
 * Answered with a value, the page rendered after it would redirect to the
 * hand-off with a 307, re-posting the form to GET-only /api/auth/resume. So
 * such a post goes through the hand-off itself (a redirect from an action is a
 * 303, a GET) and back to the page it came from (its Referer, same-origin by
 * the Origin check, kept to a path by safeNextPath): still signed in, the form
 * to send again. (next/navigation is loaded here only: it needs Next's runtime,
 * which the guard's unit tests do not have.)
 */
async function handOffNativePost(request: Request, error: AuthError): Promise<void> {
  if (error.code !== "token_expired" || request.headers.has("next-action")) return;
  const referer = request.headers.get("referer");
  const page = referer && URL.canParse(referer) ? new URL(referer) : null;
  const { redirect } = await import("next/navigation");
  redirect(`/api/auth/resume?next=${encodeURIComponent(safeNextPath(page && page.pathname + page.search))}`);
}

/**
 * `withAuth` for Server Actions: `withAuthAction(action)`, or
 * `withAuthAction(action, { fresh: true | seconds | { maxAge, level } })`.
 * The action gets the same `auth` a route handler gets (with the request),
 * then its own arguments; the caller gets `{ ok: true, data }` or the API's error as a
 * value (`token_expired`, `fresh_token_required` with maxAge/level/methods,
 * `token_revoked`, `invalid_request` with fields, …), which `useAuthAction`
 * (lib/client) acts on: refresh and call again, confirm and call again, or
 * go to /login.
 */
export function withAuthAction<A extends unknown[], T>(
  action: (auth: ActionAuth, ...args: A) => Promise<T>,
  options: GuardOptions = {},
): (...args: A) => Promise<ActionResult<T>> {
  return async (...args: A) => {
    const request = await currentRequest();
    try {
      const auth = await authenticateAction(request, options);
      return { ok: true, data: await action({ ...auth, request }, ...args) };
    } catch (error) {
      if (error instanceof AuthError) {
        await handOffNativePost(request, error);
        return toFailure(error);
      }
      if (isDatabaseUnavailable(error)) return toFailure(new AuthError("service_unavailable", { retryAfter: 2 }));
      log.error({ err: error }, "server action failed");
      return toFailure(new AuthError("internal_error"));
    }
  };
}
