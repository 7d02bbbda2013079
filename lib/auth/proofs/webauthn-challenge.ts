import "server-only";
import { randomBytes } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import { getDb } from "../../db";
import { isSecureRequest, REFRESH_COOKIE_PATH } from "../cookies";
import { AuthError } from "../../http/errors";

/** What a challenge is for: a challenge asked for one ceremony never passes another. */
export type ChallengePurpose = "registration" | "sign-in" | "fresh-login";

/** Five minutes: long enough for a slow fingerprint reader, short enough to be useless when stolen later. */
export const CHALLENGE_TTL_SECONDS = 300;

/**
 * The challenge cookie names the WebAuthnChallenge row of a sign-in or a
 * confirmation. httpOnly (scripts never see it), SameSite=Strict and under
 * /api/auth like the refresh cookie: it only travels to the endpoint that
 * consumes it, and never on a cross-site request. `__Secure-` over https
 * (`__Host-` cannot carry a Path).
 */
function cookieName(secure: boolean): string {
  return secure ? "__Secure-webauthn_challenge" : "webauthn_challenge";
}

/**
 * Registration runs under /api/account/passkeys, where a cookie under
 * /api/auth never arrives. There the challenge is bound to the SESSION
 * instead: its row id is derived from the session id, so only a request that
 * carries this session's access token (and CSRF value) can consume it, and a
 * new options call replaces the previous pending registration.
 */
export function registrationChallengeId(sessionId: string): string {
  return `registration:${sessionId}`;
}

/** Stores a fresh random challenge; returns its row id and the base64url value the options carry. */
export async function createChallenge(purpose: ChallengePurpose, userId: string | null, id = randomBytes(24).toString("base64url")) {
  const challenge = randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000);
  const db = getDb();
  // Anyone may ask for sign-in options, so expired rows are swept on every
  // insert (an index on expiresAt keeps it cheap): the table holds at most
  // five minutes' worth of challenges.
  await db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: now } } });
  await db.webAuthnChallenge.upsert({
    where: { id },
    create: { id, challenge, purpose, userId, createdAt: now, expiresAt },
    update: { challenge, purpose, userId, createdAt: now, expiresAt },
  });
  return { id, challenge };
}

/**
 * Takes the challenge out of the store: single-use whatever happens next.
 * The delete is the gate, so of two requests racing with the same cookie
 * exactly one gets the challenge. Unknown, used, expired, or asked for
 * another purpose or account: `invalid_credentials`, like a wrong password.
 */
export async function consumeChallenge(id: string | undefined, purpose: ChallengePurpose, userId: string | null): Promise<string> {
  if (!id) throw new AuthError("invalid_credentials");
  const db = getDb();
  const row = await db.webAuthnChallenge.findUnique({ where: { id }, select: { challenge: true, purpose: true, userId: true, expiresAt: true } });
  if (!row) throw new AuthError("invalid_credentials");
  const { count } = await db.webAuthnChallenge.deleteMany({ where: { id, challenge: row.challenge } });
  if (count !== 1 || row.purpose !== purpose || row.userId !== userId || row.expiresAt <= new Date()) {
    throw new AuthError("invalid_credentials");
  }
  return row.challenge;
}

export function readChallengeCookie(request: Request): string | undefined {
  return parseCookie(request.headers.get("cookie") ?? "")[cookieName(isSecureRequest(request))];
}

export function setChallengeCookie(headers: Headers, request: Request, id: string): void {
  const secure = isSecureRequest(request);
  headers.append(
    "Set-Cookie",
    stringifySetCookie({ name: cookieName(secure), value: id, httpOnly: true, sameSite: "strict", path: REFRESH_COOKIE_PATH, secure, maxAge: CHALLENGE_TTL_SECONDS }),
  );
}

/** The row is gone after any attempt; the cookie goes too, so the browser never sends a dead name. */
export function clearChallengeCookie(headers: Headers, request: Request): void {
  const secure = isSecureRequest(request);
  headers.append("Set-Cookie", stringifySetCookie({ name: cookieName(secure), value: "", httpOnly: true, sameSite: "strict", path: REFRESH_COOKIE_PATH, secure, maxAge: 0, expires: new Date(0) }));
}
