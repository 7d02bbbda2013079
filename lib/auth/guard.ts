import "server-only";
import { getConfig } from "../config";
import { route, type RouteContext, type RouteHandler } from "../http/route";
import { hostCookiesBinding } from "./cookie-binding";
import { readCookies, isSecureRequest } from "./cookies";
import { assertCsrfToken, isUnsafeMethod } from "./csrf";
import { AuthError } from "../http/errors";
import { verifyToken, type AccessClaims, type RefreshClaims } from "./tokens";
import { accountMethods } from "./proofs/account-methods";
import { readLiveSession } from "./session-store";
import { meetsLevel, type FreshLevel } from "./proofs/proof";
import { verifyAccessToken } from "./verified-tokens";
import type { PublicUser } from "./users";

export interface AccessAuth {
  kind: "access";
  claims: AccessClaims;
  user: PublicUser;
  sessionId: string;
  /** The session's absolute end (refresh family life). */
  sessionExpiresAt: Date;
  secure: boolean;
}

export interface RefreshAuth {
  kind: "refresh";
  claims: RefreshClaims;
  sessionId: string;
  secure: boolean;
}

/** How fresh a route needs the token: a window (seconds) and a strength. */
export interface FreshPolicy {
  /** At most AUTH_FRESH_TTL; shorter windows are honoured, longer ones capped. */
  maxAge?: number;
  /** "any" (default): one proof; "multi_factor": see proofs/proof.ts `meetsLevel`. */
  level?: FreshLevel;
}

export interface GuardOptions {
  /**
   * Require a fresh token: a proof of presence (password, passkey or code)
   * within AUTH_FRESH_TTL. A number asks for a shorter window in seconds, like
   * Flask-JWT-Extended's `fresh=timedelta(...)`; it never widens the
   * configured one. `{ maxAge, level }` also asks how strong the proof must be.
   */
  fresh?: boolean | number | FreshPolicy;
}

/**
 * Loads the session and its user by primary key and refuses tokens whose
 * session has ended: this is what makes logout, revocation, password change
 * and account deletion take effect on the very next request, on every
 * instance, even though the JWT itself is still unexpired.
 *
 * The credential versions ride along in the same row (decision 602): a
 * session created under an older password (a sign-in that raced the change)
 * is over (`token_revoked`); an access token issued under an older version
 * of a session that is current (the changing browser's own, or a copy of it
 * taken before the change) is superseded and answers `token_expired`, so the
 * browser refreshes with the cookie it now holds and a copy gets nowhere.
 *
 * This runs on every authenticated request, so it is one round trip (one
 * JOIN by primary key) and, on SQLite, a prepared statement outside Prisma:
 * lib/auth/session-store.ts, decision 505.
 */
export async function loadLiveSession(claims: { sid: string; sub: string; cv?: number }): Promise<{ user: PublicUser; expiresAt: Date }> {
  const session = await readLiveSession(claims.sid);
  if (
    !session ||
    session.revokedAt ||
    session.expiresAt <= new Date() ||
    session.userId !== claims.sub ||
    session.sessionCredentialVersion !== session.userCredentialVersion
  ) {
    throw new AuthError("token_revoked");
  }
  if (claims.cv !== undefined && claims.cv !== session.userCredentialVersion) {
    throw new AuthError("token_expired", { description: "The password has changed since this access token was issued. Refresh it." });
  }
  const user = { id: session.id, email: session.email, name: session.name, emailVerified: session.emailVerified };
  return { user, expiresAt: session.expiresAt };
}

/** The route's demand in one shape: the configured window (or less) and a level. */
export function freshPolicy(fresh: true | number | FreshPolicy): { maxAge: number; level: FreshLevel } {
  const configured = getConfig().AUTH_FRESH_TTL;
  const policy = typeof fresh === "object" ? fresh : { maxAge: fresh === true ? undefined : fresh };
  return { maxAge: Math.min(policy.maxAge ?? configured, configured), level: policy.level ?? "any" };
}

/**
 * Throws `fresh_token_required` unless the token proves presence recently
 * and strongly enough. The account's methods are read only when needed (a
 * refusal says which proofs the dialog can offer; multi_factor depends on
 * them), so an ordinary fresh request costs no extra query.
 */
export async function assertFresh(claims: AccessClaims, userId: string, fresh: true | number | FreshPolicy): Promise<void> {
  const { maxAge, level } = freshPolicy(fresh);
  const recent = isFresh(claims, maxAge);
  if (recent && level === "any") return;
  const methods = await accountMethods(userId);
  if (recent && meetsLevel(claims.amr, level, methods)) return;
  throw new AuthError("fresh_token_required", { maxAge, level, methods });
}

export function isFresh(claims: Pick<AccessClaims, "fresh" | "auth_time">, windowSeconds: number, now = Date.now()): boolean {
  return claims.fresh && (claims.auth_time + windowSeconds) * 1000 > now;
}

export async function authenticateAccess(request: Request, options: GuardOptions = {}): Promise<AccessAuth> {
  const token = readCookies(request).access;
  if (!token) throw new AuthError("authorization_required");
  const claims = await verifyAccessToken(token);
  // A cookie authenticates this request, so a cross-site page could have
  // triggered it: unsafe methods must prove they read the CSRF value.
  if (isUnsafeMethod(request.method)) await assertCsrfToken(request, claims.sid);
  const { user, expiresAt } = await loadLiveSession(claims);
  if (options.fresh) await assertFresh(claims, user.id, options.fresh);
  return { kind: "access", claims, user, sessionId: claims.sid, sessionExpiresAt: expiresAt, secure: isSecureRequest(request) };
}

/**
 * The refresh token is checked against its session by the rotation itself.
 * It must also belong to the session the host-only cookies name, when they
 * are there (a planted refresh cookie is not this browser's session): a 403,
 * which clears nothing. Without them the CSRF header, which a browser copies
 * from the host-only CSRF cookie, is the binding.
 */
export async function authenticateRefresh(request: Request): Promise<RefreshAuth> {
  const cookies = readCookies(request);
  if (!cookies.refresh) throw new AuthError("authorization_required");
  const claims = await verifyToken(cookies.refresh, "refresh");
  if (isUnsafeMethod(request.method)) await assertCsrfToken(request, claims.sid);
  if ((await hostCookiesBinding(cookies, claims.sid)) === "mismatch") {
    throw new AuthError("csrf_failed", { description: "The refresh cookie does not belong to this browser's session. Nothing was changed." });
  }
  return { kind: "refresh", claims, sessionId: claims.sid, secure: isSecureRequest(request) };
}

type Handler<A> = (request: Request, auth: A, context: RouteContext) => Promise<Response>;

/**
 * Flask-JWT-Extended's decorators for route handlers:
 *
 * - `withAuth(handler)` ≈ `@jwt_required()`: a valid access token, fresh or not.
 * - `withAuth(handler, { fresh: true })` ≈ `@jwt_required(fresh=True)`: 401
 *   `fresh_token_required` (with `maxAge`, `level` and the account's
 *   `methods`) unless the user proved presence recently; `{ fresh: 300 }`
 *   asks for the last five minutes; `{ fresh: { maxAge: 300, level:
 *   "multi_factor" } }` also for a passkey or password plus code.
 * - `withAuth(handler, { refresh: true })` ≈ `@jwt_required(refresh=True)`:
 *   only a refresh token (its cookie only reaches /api/auth/*).
 *
 * All of them enforce CSRF on unsafe methods; access guards also check that
 * the session is still alive.
 */
export function withAuth(handler: Handler<RefreshAuth>, options: { refresh: true }): RouteHandler;
export function withAuth(handler: Handler<AccessAuth>, options?: GuardOptions): RouteHandler;
export function withAuth(handler: Handler<AccessAuth> | Handler<RefreshAuth>, options: GuardOptions & { refresh?: boolean } = {}): RouteHandler {
  if (options.refresh) {
    const refreshHandler = handler as Handler<RefreshAuth>;
    return route(async (request, context) => refreshHandler(request, await authenticateRefresh(request), context));
  }
  const accessHandler = handler as Handler<AccessAuth>;
  return route(async (request, context) => accessHandler(request, await authenticateAccess(request, options), context));
}
