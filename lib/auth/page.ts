import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { isSecureScheme, readAuthCookies } from "./cookies";
import { isDatabaseUnavailable } from "../http/faults";
import { AuthError } from "../http/errors";
import { loadLiveSession } from "./guard";
import { sessionViewFromClaims } from "./session-view";
import type { SessionView } from "./sessions";
import type { PublicUser } from "./users";
import { verifyAccessToken } from "./verified-tokens";

export type PageUser = PublicUser;
export type PageSessionInfo = SessionView;
export interface PageSession {
  user: PageUser;
  session: PageSessionInfo;
}

type PageAuth = { status: "signed-in"; value: PageSession } | { status: "expired" } | { status: "signed-out" } | { status: "unavailable" };

/**
 * Only this scheme's name, and only when it arrived once (readAuthCookies
 * throws otherwise, which reads as signed out). Falling back to the plain
 * name over https let a sibling subdomain sign the victim into the
 * attacker's account on /login, and kept a host that moved to https in a
 * redirect loop on its old http cookies; Next's cookies() also keeps the
 * LAST of two same-named cookies where route handlers saw the first.
 */
async function readAccessCookie(): Promise<string | undefined> {
  const request = await headers();
  return readAuthCookies(request.get("cookie") ?? "", isSecureScheme(request.get("x-forwarded-proto"))).access;
}

/**
 * Server components check the session themselves, exactly as route handlers
 * do (there is no proxy.ts, decision 301): signature, expiry, and a live session
 * row, so a revoked session never renders a signed-in page.
 */
async function readPageAuth(): Promise<PageAuth> {
  try {
    const token = await readAccessCookie();
    if (!token) return { status: "signed-out" };
    // The same verified-token cache as route handlers (decision 502): a page
    // load presents the token the API calls present.
    const claims = await verifyAccessToken(token);
    const { user, expiresAt } = await loadLiveSession(claims);
    return { status: "signed-in", value: { user, session: sessionViewFromClaims(claims, expiresAt) } };
  } catch (error) {
    if (error instanceof AuthError && error.code === "token_expired") return { status: "expired" };
    if (error instanceof AuthError) return { status: "signed-out" };
    // The session could not be checked: neither signed in nor out. Pages say
    // so instead of failing, and no cookie is touched (the API answers 503).
    if (isDatabaseUnavailable(error)) return { status: "unavailable" };
    throw error;
  }
}

/** null unless signed in with a valid access token (no hand-off, no redirect). */
export async function getPageSession(): Promise<PageSession | null> {
  const auth = await readPageAuth();
  return auth.status === "signed-in" ? auth.value : null;
}

/**
 * For /login and /register: someone already signed in goes on to `next`,
 * including a visitor whose access token expired while the session lives on:
 * the token is renewed on the way, so they are never shown a sign-in form
 * (and never start a second session) for a session they still have.
 * `resume: false` when the hand-off has just failed (`status=session-ended`):
 * the form is shown, never a loop back to the hand-off.
 */
export async function redirectIfSignedIn(nextPath: string, options: { resume?: boolean } = {}): Promise<void> {
  const auth = await readPageAuth();
  if (auth.status === "signed-in") redirect(nextPath);
  if (auth.status === "expired" && options.resume !== false) await resumeThenGoTo(nextPath);
}

/**
 * For signed-in pages. An expired access token goes through a refresh
 * hand-off and comes straight back; no session at all goes to the login
 * form, which returns to `nextPath` afterwards (docs/decisions/301).
 *
 * A full page load goes to /api/auth/resume, which rotates with the
 * path-scoped refresh cookie and answers a redirect: no script needed, so it
 * also serves clients without JavaScript. A client-side navigation is a
 * fetch (`Sec-Fetch-Mode` other than `navigate`; Next hides its `RSC` header
 * from pages) and cannot follow a redirect through a route handler, so it
 * goes to the /resume page, which refreshes through the fetch wrapper and
 * navigates on.
 */
export async function requirePageSession(nextPath: string): Promise<PageSession> {
  const auth = await readPageAuth();
  if (auth.status === "signed-in") return auth.value;
  const next = encodeURIComponent(nextPath);
  if (auth.status === "signed-out") redirect(`/login?next=${next}`);
  if (auth.status === "unavailable") redirect(`/unavailable?next=${next}`);
  return resumeThenGoTo(nextPath);
}

/** The refresh hand-off: a full page load to /api/auth/resume, a client-side navigation to /resume. */
async function resumeThenGoTo(nextPath: string): Promise<never> {
  const next = encodeURIComponent(nextPath);
  const mode = (await headers()).get("sec-fetch-mode");
  const clientNavigation = mode !== null && mode !== "navigate";
  redirect(clientNavigation ? `/resume?next=${next}` : `/api/auth/resume?next=${next}`);
}
