// PostgreSQL side of scripts/migrate.mjs (node-postgres).
import { userInfo } from "node:os";
import pg from "pg";
import { MigrationError } from "./migration-error.mjs";

/** Prisma Migrate's own advisory-lock key, so we and `prisma migrate` exclude each other. */
export const PRISMA_LOCK_KEY = 72707369;

// Verbatim from Prisma's schema engine (sql-schema-connector, flavour/postgres.rs).
const HISTORY_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

const RECORD = `INSERT INTO _prisma_migrations
  (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
  VALUES ($1, $2, $3, $4, NULL, NULL, $5, 1)`;

/**
 * `postgresql://localhost/fa` names no user. libpq (psql, createdb) then uses
 * the OS user; node-postgres uses $USER, which service managers and containers
 * often leave unset, and fails with "no PostgreSQL user name specified". Fill
 * in what psql would use so the URL means the same to both. lib/db.ts does the same.
 */
export function withDefaultUser(url) {
  const parsed = new URL(url);
  if (parsed.username || !parsed.hostname) return url;
  parsed.username = encodeURIComponent(process.env.PGUSER || process.env.USER || userInfo().username);
  return parsed.toString();
}

/**
 * How long a migration statement may wait for a table lock. An ALTER TABLE that
 * waits for its ACCESS EXCLUSIVE lock (behind a long transaction, say) makes
 * every app query on that table queue behind it. Below the app's
 * DATABASE_TIMEOUT (5 s by default), so a migration that cannot get its locks
 * fails, rolled back, while app requests are only slowed, never timed out.
 */
export const DDL_LOCK_TIMEOUT_MS = 2_000;
const LOCK_NOT_AVAILABLE = "55P03";

/** What to do about the usual first-start failures, in the operator's words. */
function explain(error, url) {
  const { hostname, port, pathname } = new URL(url);
  const where = `${hostname || "localhost"}:${port || 5432}`;
  const database = decodeURIComponent(pathname.slice(1));
  const hint = {
    ECONNREFUSED: `Nothing listens on ${where}: is PostgreSQL running, and is the host/port in DATABASE_URL right?`,
    ENOTFOUND: `The host in DATABASE_URL (${hostname}) does not resolve.`,
    "3D000": `Create the database first: \`createdb ${database}\` (or CREATE DATABASE "${database}").`,
    28000: "Put a user in the URL that PostgreSQL knows: postgresql://USER:PASSWORD@host:port/database.",
    "28P01": "Check the user and password in DATABASE_URL (postgresql://USER:PASSWORD@host:port/database).",
  }[error.code];
  if (hint) error.message = `${error.message}. ${hint}`;
  return error;
}

export async function openPostgres(url, timeoutMs) {
  // The app's client (lib/db.ts) always uses the default schema; a `?schema=`
  // here would migrate one schema while the app reads another.
  const schema = new URL(url).searchParams.get("schema");
  if (schema && schema !== "public") {
    throw new Error(`DATABASE_URL ?schema=${schema} is not supported: give the app its own database.`);
  }
  const client = new pg.Client({ connectionString: withDefaultUser(url), connectionTimeoutMillis: timeoutMs });
  client.on("error", () => {}); // a dropped connection also rejects the pending query
  try {
    await client.connect();
  } catch (error) {
    throw explain(error, url);
  }
  try {
    // Waiting long for the advisory lock costs nobody else anything (another
    // instance is migrating); waiting for table locks does (see DDL_LOCK_TIMEOUT_MS).
    await client.query(`SET lock_timeout = ${Math.trunc(timeoutMs)}`);
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_LOCK_KEY]);
    await client.query(`SET lock_timeout = ${DDL_LOCK_TIMEOUT_MS}`);
  } catch (error) {
    await client.end();
    if (error.code !== LOCK_NOT_AVAILABLE) throw error;
    throw new Error(
      `Timed out after ${timeoutMs} ms waiting for the migration lock: another instance or ` +
        "`prisma migrate` is migrating this database.",
    );
  }
  const rows = async (sql) => (await client.query(sql)).rows;
  return {
    tables: async () =>
      (
        await rows(`SELECT table_name FROM information_schema.tables
                    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
      ).map((r) => r.table_name),
    createHistoryTable: () => client.query(HISTORY_DDL),
    history: () => rows("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations"),
    begin: () => client.query("BEGIN"),
    commit: () => client.query("COMMIT"),
    rollback: () => client.query("ROLLBACK").catch(() => {}),
    // No parameters → the simple query protocol, which runs a multi-statement script.
    apply: async (script, name) => {
      try {
        await client.query(script);
      } catch (error) {
        if (error.code !== LOCK_NOT_AVAILABLE) throw error;
        throw new MigrationError(
          "LOCK_TIMEOUT",
          `Migration \`${name}\` waited ${DDL_LOCK_TIMEOUT_MS} ms for a table lock and gave up, rather than ` +
            "hold up the app's queries behind it; it was rolled back. A long transaction holds a table it " +
            "changes: find it in pg_stat_activity (state 'idle in transaction', old xact_start), end it, and start again.",
        );
      }
    },
    record: (m) => client.query(RECORD, [m.id, m.checksum, m.finishedAt, m.name, m.startedAt]),
    // Ending the session releases the advisory lock too; unlocking first keeps
    // that true even if a pooler keeps the server session alive.
    close: async () => {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_LOCK_KEY]).catch(() => {});
      await client.end();
    },
  };
}
