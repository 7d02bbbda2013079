import "server-only";
import type BetterSqlite3 from "better-sqlite3";
import { getDb, sqlNow } from "../db";
import { sqliteConnection } from "../sqlite-adapter";

/**
 * The two statements every authenticated request and every refresh runs,
 * and the one place that knows how each provider runs them.
 *
 * Everything else goes through Prisma. These two are the hot path: through
 * Prisma's query compiler and driver adapter each costs 100–200 µs of CPU
 * per call (query plan, argument and result mapping, promise layers), about
 * as much as the rest of the auth layer together (docs/performance.md,
 * decision 505). On SQLite they run as prepared statements on the very
 * connection Prisma uses (better-sqlite3 is synchronous and in-process, so a
 * statement runs to completion inside the call, exactly like Prisma's own
 * non-transactional queries on that connection). On PostgreSQL they stay
 * Prisma raw queries: there the network round trip dominates, and the pg
 * adapter's pool, timeouts and error mapping (503 on outages) stay in one place.
 * Before Prisma has opened its SQLite connection (the first query of a
 * process), the Prisma form runs and opens it.
 *
 * Same SQL on both paths (quoted identifiers, RETURNING), same rows out.
 * The SELECT already carries the credential-version columns and the proof
 * methods so the guard and the rotation can compare them without a second
 * query.
 */

export interface LiveSessionRow {
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  /** Session.credentialVersion: the user's version when the session was made or last rotated. */
  sessionCredentialVersion: number;
  authMethods: string;
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  /** User.credentialVersion: bumped by a password change or reset. */
  userCredentialVersion: number;
}

export interface RotatedSessionRow {
  id: string;
  userId: string;
  expiresAt: Date;
  authTime: Date;
  authMethods: string;
  currentJti: string;
  credentialVersion: number;
}

const LIVE_SESSION_SQL = `
  SELECT s."userId", s."revokedAt", s."expiresAt", s."credentialVersion" AS "sessionCredentialVersion", s."authMethods",
         u."id", u."email", u."name", u."emailVerified", u."credentialVersion" AS "userCredentialVersion"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId"
  WHERE s."id" = ?`;

// The compare-and-set on currentJti and the read of what the new tokens
// need, in one statement: one implicit transaction, one round trip.
const ROTATE_SQL = `
  UPDATE "Session"
  SET "currentJti" = ?, "parentJti" = ?, "rotatedAt" = ?, "lastUsedAt" = ?
  WHERE "id" = ? AND "userId" = ? AND "currentJti" = ? AND "revokedAt" IS NULL AND "expiresAt" > ?
    AND "credentialVersion" = (SELECT u."credentialVersion" FROM "User" u WHERE u."id" = ?)
  RETURNING "id", "userId", "expiresAt", "authTime", "authMethods", "currentJti", "credentialVersion"`;

// Prisma's SQLite adapter stores DateTime as ISO-8601 text with "+00:00"
// (its default timestampFormat); comparisons in SQL are textual, so bound
// times must be written exactly the same way.
const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");
const readTime = (value: unknown) => new Date(typeof value === "string" ? value : Number(value));

interface Prepared {
  liveSession: BetterSqlite3.Statement;
  rotate: BetterSqlite3.Statement;
}
const preparedFor = new WeakMap<BetterSqlite3.Database, Prepared>();

function prepared(): Prepared | undefined {
  const connection = sqliteConnection();
  if (!connection) return undefined;
  let statements = preparedFor.get(connection.db);
  if (!statements) {
    statements = { liveSession: connection.prepare(LIVE_SESSION_SQL), rotate: connection.prepare(ROTATE_SQL) };
    preparedFor.set(connection.db, statements);
  }
  return statements;
}

type RawRow = Record<string, unknown>;

function toLiveSession(row: RawRow): LiveSessionRow {
  return {
    userId: String(row.userId),
    revokedAt: row.revokedAt === null || row.revokedAt === undefined ? null : readTime(row.revokedAt),
    expiresAt: readTime(row.expiresAt),
    sessionCredentialVersion: Number(row.sessionCredentialVersion),
    authMethods: String(row.authMethods),
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    // SQLite answers a BOOLEAN as 0/1.
    emailVerified: Boolean(row.emailVerified),
    userCredentialVersion: Number(row.userCredentialVersion),
  };
}

function toRotated(row: RawRow): RotatedSessionRow {
  return {
    id: String(row.id),
    userId: String(row.userId),
    expiresAt: readTime(row.expiresAt),
    authTime: readTime(row.authTime),
    authMethods: String(row.authMethods),
    currentJti: String(row.currentJti),
    credentialVersion: Number(row.credentialVersion),
  };
}

/** The session by id joined with its user, whatever its state; undefined when there is none. */
export async function readLiveSession(sessionId: string): Promise<LiveSessionRow | undefined> {
  const statements = prepared();
  if (statements) {
    const row = statements.liveSession.get(sessionId) as RawRow | undefined;
    return row && toLiveSession(row);
  }
  const rows = await getDb().$queryRaw<RawRow[]>`
    SELECT s."userId", s."revokedAt", s."expiresAt", s."credentialVersion" AS "sessionCredentialVersion", s."authMethods",
           u."id", u."email", u."name", u."emailVerified", u."credentialVersion" AS "userCredentialVersion"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = ${sessionId}`;
  return rows[0] && toLiveSession(rows[0]);
}

export interface RotateInput {
  sessionId: string;
  userId: string;
  /** The jti the caller presented: must still be the session's current one. */
  presentedJti: string;
  newJti: string;
  now: Date;
}

/**
 * Swaps the session's current refresh jti for `newJti` if, and only if, the
 * presented one is still current, the session is alive and it was made under
 * the user's current credential version (decision 602): of N concurrent
 * uses exactly one gets a row back. null means "not rotated" (the caller
 * decides between a grace re-issue, a revoked session and reuse).
 */
export async function rotateCurrentJti(input: RotateInput): Promise<RotatedSessionRow | null> {
  const { sessionId, userId, presentedJti, newJti, now } = input;
  const statements = prepared();
  if (statements) {
    // SQLite runs in this process, synchronously: the app's clock at the
    // call is the moment of the write (see sqlNow in lib/db.ts).
    const at = sqliteTime(now);
    const row = statements.rotate.get(newJti, presentedJti, sqliteTime(new Date()), at, sessionId, userId, presentedJti, at, userId) as RawRow | undefined;
    return row ? toRotated(row) : null;
  }
  const rows = await getDb().$queryRaw<RawRow[]>`
    UPDATE "Session"
    SET "currentJti" = ${newJti}, "parentJti" = ${presentedJti}, "rotatedAt" = ${sqlNow()}, "lastUsedAt" = ${now}
    WHERE "id" = ${sessionId} AND "userId" = ${userId} AND "currentJti" = ${presentedJti}
      AND "revokedAt" IS NULL AND "expiresAt" > ${now}
      AND "credentialVersion" = (SELECT u."credentialVersion" FROM "User" u WHERE u."id" = ${userId})
    RETURNING "id", "userId", "expiresAt", "authTime", "authMethods", "currentJti", "credentialVersion"`;
  return rows.length === 1 ? toRotated(rows[0]) : null;
}
