import "server-only";
import { recordEvent } from "../activity/record";
import { createHash, randomBytes } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";
import { getDb } from "../db";
import { isSecureRequest, REFRESH_COOKIE_PATH } from "./cookies";
import { AuthError } from "../http/errors";
import type { PublicUser } from "./users";

/**
 * A sign-in whose password was right and whose second step is owed. The
 * browser holds a random value in an httpOnly, SameSite=Strict cookie scoped
 * to /api/auth (like the refresh token: scripts never see it, other sites
 * never send it); the database keeps only its SHA-256, so a leaked table
 * cannot finish anyone's sign-in. It lasts 5 minutes, allows 5 code
 * attempts, and is bound to the account's credential version: a password
 * change or reset meanwhile kills it, and the password must be given again.
 */
export const PENDING_TTL_SECONDS = 300;
export const PENDING_MAX_ATTEMPTS = 5;

const cookieName = (secure: boolean) => (secure ? "__Secure-pending_sign_in" : "pending_sign_in");
const hashOf = (token: string) => createHash("sha256").update(token).digest("base64url");

const expired = () => new AuthError("authorization_required", { description: "This sign-in has expired. Enter your password again." });

/** Called by login after a correct password on an account with TOTP. Returns the cookie's value. */
export async function startPendingSignIn(userId: string, credentialVersion: number, userAgent: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const db = getDb();
  // The account's own dead ones go now, so rows never pile up.
  await db.pendingSignIn.deleteMany({ where: { userId, expiresAt: { lte: new Date() } } });
  await db.pendingSignIn.create({
    data: { id: hashOf(token), userId, credentialVersion, userAgent: userAgent.slice(0, 300), expiresAt: new Date(Date.now() + PENDING_TTL_SECONDS * 1000) },
  });
  return token;
}

export function pendingCookie(secure: boolean, token: string | null): string {
  const base = { name: cookieName(secure), httpOnly: true, sameSite: "strict" as const, path: REFRESH_COOKIE_PATH, secure };
  return token === null
    ? stringifySetCookie({ ...base, value: "", maxAge: 0, expires: new Date(0) })
    : stringifySetCookie({ ...base, value: token, maxAge: PENDING_TTL_SECONDS });
}

export function readPendingToken(request: Request): string | undefined {
  return parseCookie(request.headers.get("cookie") ?? "")[cookieName(isSecureRequest(request))];
}

/**
 * Takes one of the pending sign-in's attempts BEFORE the code is checked
 * (an atomic `attempts < 5` increment), so even parallel guesses get five
 * tries in all; a successful attempt deletes the row, so the count is the
 * number of wrong codes that matter. Throws when the pending sign-in is
 * unknown, expired, out of attempts, or behind the account's credentials.
 */
export async function takePendingAttempt(token: string | undefined): Promise<{ id: string; user: PublicUser; credentialVersion: number }> {
  if (!token) throw expired();
  const db = getDb();
  const id = hashOf(token);
  // Read before the reservation (the fields read never change): once all five
  // attempts are taken, a finished attempt may delete the row while others
  // still hold theirs, and they must not lose their row to a read after it.
  const row = await db.pendingSignIn.findUnique({
    where: { id },
    select: { credentialVersion: true, user: { select: { id: true, email: true, name: true, emailVerified: true, credentialVersion: true } } },
  });
  if (!row) throw expired();
  const { count } = await db.pendingSignIn.updateMany({
    where: { id, failures: { lt: PENDING_MAX_ATTEMPTS }, expiresAt: { gt: new Date() } },
    data: { failures: { increment: 1 } },
  });
  if (count !== 1 || row.credentialVersion !== row.user.credentialVersion) {
    if (count === 1) await db.pendingSignIn.deleteMany({ where: { id } });
    throw expired();
  }
  const { credentialVersion, ...user } = row.user;
  return { id, user, credentialVersion };
}

/** State change "second-factor failure": the attempt stays counted; the last one ends the pending sign-in. */
export async function recordSecondFactorFailure(id: string, userId?: string): Promise<{ ended: boolean }> {
  return getDb().$transaction(async (tx) => {
    if (userId) await recordEvent(tx, { userId, type: "second_factor_failed" });
    const { count } = await tx.pendingSignIn.deleteMany({ where: { id, failures: { gte: PENDING_MAX_ATTEMPTS } } });
    return { ended: count === 1 };
  });
}

/** Claims the pending sign-in for the one session it may become: of two parallel successes, one wins. */
export async function finishPendingSignIn(id: string): Promise<void> {
  const { count } = await getDb().pendingSignIn.deleteMany({ where: { id } });
  if (count !== 1) throw expired();
}
