import "server-only";
import { randomUUID } from "node:crypto";
import { recordEvent, withEvent, type ClientInfo, type NewEvent } from "../activity/record";
import { getConfig } from "../config";
import { getDb } from "../db";
import { csrfTokenFor } from "./csrf";
import { AuthError } from "../http/errors";
import { decodeMethods, encodeMethods, proofOf, type Proof } from "./proofs/proof";
import { isForeignKeyViolation } from "./users";
import { rotateCurrentJti } from "./session-store";
import { signAccessToken, signRefreshToken, type RefreshClaims } from "./tokens";
import type { SessionListItem, SessionView } from "../shared/api-types";

export type { SessionView };

export interface IssuedSession {
  view: SessionView;
  access: string;
  /** Absent when the refresh token stays as it is (fresh-login). */
  refresh?: string;
  csrf: string;
  /** Remaining absolute life: the cookies' Max-Age. */
  maxAgeSeconds: number;
}

interface SessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  authTime: Date;
  authMethods: string;
  currentJti: string;
  credentialVersion: number;
}

const SESSION_SELECT = { id: true, userId: true, expiresAt: true, authTime: true, authMethods: true, currentJti: true, credentialVersion: true } as const;

/** Signs the token pair for a session row; `fresh` only right after a proof of presence. */
async function issue(session: SessionRow, options: { fresh: boolean; refresh: boolean }): Promise<IssuedSession> {
  const { AUTH_ACCESS_TTL, AUTH_FRESH_TTL } = getConfig();
  const now = Date.now();
  const accessExpiresAt = new Date(Math.min(now + AUTH_ACCESS_TTL * 1000, session.expiresAt.getTime()));
  const freshUntil = options.fresh ? new Date(session.authTime.getTime() + AUTH_FRESH_TTL * 1000) : null;
  const methods = decodeMethods(session.authMethods);
  const [access, refresh, csrf] = await Promise.all([
    signAccessToken({
      userId: session.userId,
      sessionId: session.id,
      fresh: options.fresh,
      authTime: session.authTime,
      methods,
      expiresAt: accessExpiresAt,
      credentialVersion: session.credentialVersion,
    }),
    options.refresh
      ? signRefreshToken({ userId: session.userId, sessionId: session.id, jti: session.currentJti, expiresAt: session.expiresAt })
      : undefined,
    csrfTokenFor(session.id),
  ]);
  return {
    view: {
      id: session.id,
      fresh: options.fresh,
      freshUntil: freshUntil?.toISOString() ?? null,
      accessExpiresAt: accessExpiresAt.toISOString(),
      refreshExpiresAt: session.expiresAt.toISOString(),
      authTime: session.authTime.toISOString(),
      methods,
    },
    access,
    refresh,
    csrf,
    maxAgeSeconds: (session.expiresAt.getTime() - now) / 1000,
  };
}

/**
 * A new sign-in from a proof of presence: a new refresh family, and a fresh
 * access token, under the credential version the password was checked with
 * (decision 602): if the password changed since, the session is born behind
 * and refused on first use (a caller that passes none gets 0: it fails closed).
 * A user deleted since the check leaves nothing to sign in to: the
 * foreign-key failure (SQLite; PostgreSQL reports the same) is the answer an
 * unknown account gets. Its `signed_in` event is written in the same
 * transaction; `client` may still be a bare user agent (no address recorded).
 */
export async function createSession(
  userId: string,
  client: ClientInfo | string,
  proof: Proof = proofOf(["password"]),
  credentialVersion = 0,
): Promise<IssuedSession> {
  const now = proof.at;
  const id = randomUUID();
  const from = typeof client === "string" ? { ip: "", userAgent: client } : client;
  const event: NewEvent = { userId, type: "signed_in", ...from, sessionId: id, detail: { methods: proof.methods } };
  const session = await withEvent(event, (db) => db
    .session.create({
      data: {
        id,
        userId,
        createdAt: now,
        lastUsedAt: now,
        authTime: now,
        authMethods: encodeMethods(proof.methods),
        expiresAt: new Date(now.getTime() + getConfig().AUTH_REFRESH_TTL * 1000),
        currentJti: randomUUID(),
        userAgent: from.userAgent.slice(0, 300),
        credentialVersion,
      },
      select: SESSION_SELECT,
    }))
    .catch((error: unknown) => {
      if (isForeignKeyViolation(error)) throw new AuthError("invalid_credentials");
      throw error;
    });
  return issue(session, { fresh: true, refresh: true });
}

/**
 * A password change on this session (and, later, a reset), in one
 * transaction: the new hash and a bumped credential version, but only if the
 * version is still the one the current password was checked under (a
 * concurrent change wins, this one ends the session); every other session
 * revoked; and this session re-stamped with the new version and a new
 * refresh token whose parent is forgotten, so no copy of the old one gets a
 * grace re-issue (decision 603). The CSRF value is bound to the session id
 * and stays. Access tokens of the old version answer token_expired from here
 * on (guard.ts), so a copy of this browser's cookies is dead at once.
 */
export async function renewAfterPasswordChange(input: { userId: string; sessionId: string; passwordHash: string; checkedVersion: number; event?: NewEvent }): Promise<IssuedSession> {
  const { userId, sessionId, passwordHash, checkedVersion } = input;
  const now = new Date();
  const session = await getDb().$transaction(async (tx) => {
    const changed = await tx.user.updateMany({
      where: { id: userId, credentialVersion: checkedVersion },
      data: { passwordHash, credentialVersion: { increment: 1 } },
    });
    if (changed.count !== 1) throw new AuthError("token_revoked");
    await tx.session.updateMany({
      where: { userId, id: { not: sessionId }, revokedAt: null },
      data: { revokedAt: now, revokedReason: "password_changed" },
    });
    const renewed = await tx.session.updateMany({
      where: { id: sessionId, userId, revokedAt: null },
      data: {
        credentialVersion: checkedVersion + 1,
        currentJti: randomUUID(),
        parentJti: null,
        rotatedAt: null,
        authTime: now,
        authMethods: encodeMethods(["password"]),
        lastUsedAt: now,
      },
    });
    if (renewed.count !== 1) throw new AuthError("token_revoked");
    // `password_changed`, committed with the change or not at all.
    if (input.event) await recordEvent(tx, input.event);
    return tx.session.findUniqueOrThrow({ where: { id: sessionId }, select: SESSION_SELECT });
  });
  return issue(session, { fresh: true, refresh: true });
}

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2).
 *
 * - The current token: swapped for a new one with a compare-and-set on
 *   `currentJti`, so of N simultaneous uses exactly one rotates.
 * - The parent, within AUTH_REFRESH_REUSE_GRACE of its rotation: a lost
 *   response or a second tab, not theft. It gets the CURRENT token re-issued
 *   (not a new child), so the family never forks.
 * - Anything else (an older token, or the parent after the grace) means a
 *   copy is in someone else's hands: the whole session is revoked, signing out
 *   both the thief and the victim, and `refresh_reuse_detected` is recorded
 *   with it. `client` is read only then: a rotation writes no event.
 */
export async function rotateRefreshToken(claims: RefreshClaims, client?: () => ClientInfo): Promise<IssuedSession> {
  const db = getDb();
  const now = new Date();
  const newJti = randomUUID();
  // The common case in one statement, hence one round trip and one short
  // implicit transaction: the compare-and-set on currentJti and the read of
  // what the new tokens need (lib/auth/session-store.ts: a prepared statement
  // on SQLite, decision 505).
  const rotated = await rotateCurrentJti({ sessionId: claims.sid, userId: claims.sub, presentedJti: claims.jti, newJti, now });
  if (rotated) return issue(rotated, { fresh: false, refresh: true });

  // Not the current token (or the session has ended): the rare path decides
  // between a grace re-issue, a revoked session and token reuse.
  const session = await db.session.findUnique({
    where: { id: claims.sid },
    select: { ...SESSION_SELECT, parentJti: true, rotatedAt: true, revokedAt: true, user: { select: { credentialVersion: true } } },
  });
  // A session created under a password that has changed since is over, whichever token it shows.
  const behind = session !== null && session.credentialVersion !== session.user.credentialVersion;
  if (!session || session.userId !== claims.sub || session.revokedAt || session.expiresAt <= now || behind) {
    throw new AuthError("token_revoked");
  }
  const graceMs = getConfig().AUTH_REFRESH_REUSE_GRACE * 1000;
  const withinGrace = session.rotatedAt !== null && now.getTime() - session.rotatedAt.getTime() <= graceMs;
  if (session.parentJti === claims.jti && withinGrace) return issue(session, { fresh: false, refresh: true });

  await revokeSession(session.id, "refresh_token_reuse", { userId: session.userId, type: "refresh_reuse_detected", ...client?.(), sessionId: session.id });
  throw new AuthError("token_revoked", { description: "This refresh token was already used. The session has been ended for safety." });
}

/**
 * A confirmation ("Confirm it's you") on an existing session: a fresh access
 * token recording the new proof, same session, same refresh token. A refresh
 * later keeps this `authTime` and these methods and drops only freshness.
 */
export async function refreshFreshness(sessionId: string, proof: Proof = proofOf(["password"]), event?: NewEvent): Promise<IssuedSession> {
  const session = await withEvent(event && { ...event, detail: { methods: proof.methods } }, (db) => db.session.update({
    where: { id: sessionId },
    data: { authTime: proof.at, authMethods: encodeMethods(proof.methods), lastUsedAt: proof.at },
    select: SESSION_SELECT,
  }));
  return issue(session, { fresh: true, refresh: false });
}

/** `event`, when given, is recorded only by the call that actually ends the session. */
export async function revokeSession(sessionId: string, reason: string, event?: NewEvent): Promise<void> {
  await withEvent(event, (db) => db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } }), ({ count }) => count === 1);
}

/** `event` (one for all of them, with the count) is recorded when at least one session ends. */
export async function revokeOtherSessions(userId: string, keepSessionId: string, reason: string, event?: NewEvent): Promise<number> {
  const { count } = await withEvent(event, (db) => db.session.updateMany({
    where: { userId, id: { not: keepSessionId }, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  }), (result) => result.count > 0 && { count: result.count });
  return count;
}

export async function listSessions(userId: string, currentSessionId: string): Promise<SessionListItem[]> {
  const rows = await getDb().session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, createdAt: true, lastUsedAt: true, userAgent: true },
    orderBy: { lastUsedAt: "desc" },
  });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt.toISOString(),
    userAgent: row.userAgent,
    current: row.id === currentSessionId,
  }));
}

/** Revokes one of the user's own live sessions; false when there is none by that id. */
export async function revokeUserSession(userId: string, sessionId: string, reason: string, event?: NewEvent): Promise<boolean> {
  const { count } = await withEvent(event, (db) => db.session.updateMany({
    where: { id: sessionId, userId, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  }), (result) => result.count === 1);
  return count === 1;
}
