// SQLite side of scripts/migrate.mjs (better-sqlite3, synchronous API).
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

// Verbatim from Prisma's schema engine (sql-schema-connector, flavour/sqlite.rs).
const HISTORY_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

// Prisma's engine writes these DATETIME columns as integer milliseconds since
// the epoch (quaint's SQLite encoding), so we store the same.
const RECORD = `INSERT INTO "_prisma_migrations"
  (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
  VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`;

/** `file:./data/app.db?opts` → an absolute path; relative paths resolve against the cwd, as in lib/db.ts. */
export function sqlitePath(url) {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/**
 * Switches the file to WAL, waiting up to `timeoutMs` for other processes.
 * SQLite does not call the busy handler here: while another process holds the
 * file's lock in rollback mode (a process that opened the same brand-new file
 * a moment earlier is converting it to WAL), the PRAGMA fails at once with
 * SQLITE_BUSY. Two instances started together on a new file hit this
 * (tests/db/migrate.test.ts starts them so), so this retries.
 */
async function useWal(db, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if (error.code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export async function openSqlite(url, timeoutMs) {
  const file = sqlitePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  // `timeout` is the busy timeout: a second process waits for the lock below.
  const db = new Database(file, { timeout: timeoutMs });
  // WAL is stored in the file, so the app's connections inherit it: readers
  // never block the single writer.
  await useWal(db, timeoutMs);
  // Prisma's table-rebuild migrations switch foreign keys off with a PRAGMA that
  // SQLite ignores inside a transaction; without this, DROP TABLE on a parent
  // would cascade-delete its children. Integrity is checked before commit instead.
  db.pragma("foreign_keys = OFF");
  // The write lock is taken here and held for the whole run, as PostgreSQL's
  // advisory lock is (scripts/migrate-pg.mjs): instances starting together
  // queue on it (the busy timeout), and each later one finds every migration
  // applied and nothing to do. Taking it per migration instead let a waiting
  // instance slip in between two of them, so two instances each applied a
  // part (seen in CI). IMMEDIATE takes it before the history is read.
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    tables: () =>
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        .pluck()
        .all(),
    createHistoryTable: () => db.exec(HISTORY_DDL),
    history: () =>
      db.prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"').all(),
    // Each migration is a savepoint inside the run's transaction: a failing
    // one is undone whole, and the ones before it stay (committed by close).
    begin: () => db.exec("SAVEPOINT migration"),
    commit: () => db.exec("RELEASE migration"),
    rollback: () => db.inTransaction && db.exec("ROLLBACK TO migration; RELEASE migration"),
    apply: (script) => {
      db.exec(script);
      const broken = db.pragma("foreign_key_check");
      if (broken.length) throw new Error(`foreign key check failed: ${JSON.stringify(broken.slice(0, 3))}`);
    },
    record: (m) => db.prepare(RECORD).run(m.id, m.checksum, +m.finishedAt, m.name, +m.startedAt),
    // Commits what was applied (all of it, or what came before a failure)
    // and releases the lock. A crash before this loses the whole run, which
    // the next start applies again: nothing is ever half applied.
    close: () => {
      if (db.inTransaction) db.exec("COMMIT");
      db.close();
    },
  };
}
