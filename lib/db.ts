import "server-only";
import { userInfo } from "node:os";
import { PrismaBetterSqlite3Tuned } from "./sqlite-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "./config";
import { log } from "./log";
import { Prisma, PrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";

/**
 * The one Prisma client, and the one place that chooses the database.
 *
 * Prisma 7 generates provider-specific code, so both clients are generated
 * (scripts/generate.mjs) and DATABASE_URL picks one here. Their model APIs are
 * identical, so the rest of the app sees a single `Database` type and never
 * asks which provider it runs on.
 */
export type Database = PrismaClient;

/** The client inside `getDb().$transaction(async (tx) => …)`. */
export type Transaction = Prisma.TransactionClient;

export type Provider = "sqlite" | "postgresql";

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/**
 * `postgresql://localhost/fa` names no user: psql and createdb then use the OS
 * user, node-postgres uses $USER (often unset under service managers) and
 * fails. Fill in what psql would use; scripts/migrate-pg.mjs does the same.
 */
export function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (parsed.username || !parsed.hostname) return url;
  parsed.username = encodeURIComponent(process.env.PGUSER || process.env.USER || userInfo().username);
  return parsed.toString();
}

function createClient(): Database {
  const { DATABASE_URL, DATABASE_POOL_SIZE, DATABASE_TIMEOUT } = getConfig();
  if (providerOf(DATABASE_URL) === "postgresql") {
    const timeoutMs = DATABASE_TIMEOUT * 1000;
    const adapter = new PrismaPg(
      {
        connectionString: withDefaultUser(DATABASE_URL),
        max: DATABASE_POOL_SIZE,
        // A full pool or an unreachable server fails fast (→ 503), never hangs:
        // the wait for a pooled or new connection, and for each reply, is bounded.
        connectionTimeoutMillis: timeoutMs,
        query_timeout: timeoutMs,
        // The server gives up too, so a statement stuck on a row lock does not
        // keep holding a pooled connection after the client stopped waiting,
        // and a transaction whose client vanished releases its locks.
        statement_timeout: timeoutMs,
        idle_in_transaction_session_timeout: 2 * timeoutMs,
        keepAlive: true,
        application_name: "fresh-auth",
      },
      { onPoolError: (error) => log.warn({ err: error }, "database connection lost") },
    );
    return new PostgresClient({ adapter }) as unknown as Database;
  }
  const file = DATABASE_URL.replace(/^file:/, "");
  // `timeout` is SQLite's busy timeout: writers wait for the lock instead of
  // failing with "database is locked" when requests overlap.
  const adapter = new PrismaBetterSqlite3Tuned({ url: file, timeout: DATABASE_TIMEOUT * 1000 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { freshAuthDb?: Database };

/** Lazily created so `next build` never opens a database. */
export function getDb(): Database {
  globalForDb.freshAuthDb ??= createClient();
  return globalForDb.freshAuthDb;
}

/**
 * "Now" inside a statement, on the clock of whatever runs it.
 *
 * A time the app takes before a query can be stale by the time the row is
 * written: a PostgreSQL connection that stalls (a network hiccup, a lock)
 * may still deliver the statement after the app gave up on it. Rotation
 * stamps `rotatedAt` this way, and the reuse grace is measured from it, so a
 * late commit must carry the time it really happened, or the browser's
 * retry would look like reuse. On PostgreSQL that is the server's clock, in
 * UTC as Prisma stores timestamps; SQLite runs in this process, synchronously,
 * so the app's clock at the call is the moment of the write.
 */
export function sqlNow(): Prisma.Sql {
  return providerOf(getConfig().DATABASE_URL) === "postgresql"
    ? Prisma.raw(`(clock_timestamp() AT TIME ZONE 'UTC')`)
    : Prisma.sql`${new Date()}`;
}
