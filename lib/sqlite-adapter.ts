import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";

/**
 * Prisma's better-sqlite3 adapter compiles every SQL string again on every
 * query (`db.prepare(sql).bind(args)`, then throws the statement away). On the
 * hot path that compile was the largest single cost of an authenticated
 * request after the framework: ~70 µs for the session + user JOIN, more than
 * running it. The statements Prisma and this app issue are a small fixed set,
 * so this adapter keeps each compiled statement and re-binds it per call.
 *
 * better-sqlite3 is synchronous: a statement runs to completion inside one
 * call, so one statement object is never in use twice at the same time.
 * SQLite re-prepares a cached statement by itself if the schema changes.
 * The cache is bounded; past MAX_STATEMENTS new SQL simply is not cached.
 */
const MAX_STATEMENTS = 500;

type Args = unknown[];

/** The slice of better-sqlite3's Statement the adapter uses, with parameters given late. */
function reusable(stmt: BetterSqlite3.Statement, args: Args = []) {
  return {
    reader: stmt.reader,
    columns: () => stmt.columns(),
    raw: () => ({ all: () => stmt.raw(true).all(...args) }),
    run: () => stmt.run(...args),
    bind: (next: Args) => reusable(stmt, next),
  };
}

/**
 * Every interactive transaction takes the write lock when it begins. Prisma's
 * adapter opens them with a plain (deferred) BEGIN: the transaction reads on
 * a snapshot and asks for the write lock at its first write. If another
 * process (a second instance, the test kit's agent, a script) committed in
 * between, SQLite cannot upgrade the stale snapshot and fails at once with
 * SQLITE_BUSY_SNAPSHOT: the busy timeout does not apply, and Prisma reports
 * "Operation has timed out". Nearly every transaction here reads, then
 * writes (find the factor, then upsert it), so each would fail whenever
 * another process wrote in that gap. BEGIN IMMEDIATE waits for the lock up
 * front, within the busy timeout, and then cannot meet that error. Inside
 * one process the adapter already runs one transaction at a time, so this
 * costs nothing there. docs/decisions/610-sqlite-begin-immediate.md.
 */
const BEGIN = "BEGIN IMMEDIATE";

/** Makes db.prepare cache; returns better-sqlite3's own prepare (real Statements). */
export function cacheStatements(db: BetterSqlite3.Database): BetterSqlite3.Database["prepare"] {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, BetterSqlite3.Statement>();
  db.prepare = ((text: string) => {
    const sql = text === "BEGIN" ? BEGIN : text;
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size < MAX_STATEMENTS) cache.set(sql, stmt);
    }
    return reusable(stmt);
  }) as unknown as BetterSqlite3.Database["prepare"];
  return prepare;
}

/**
 * The connection settings the app runs with (journal_mode=WAL is stored in the
 * file by the migration; the busy timeout comes from DATABASE_TIMEOUT).
 *
 * synchronous=NORMAL: in WAL mode a commit is then written to the OS but not
 * fsync'ed until the next checkpoint. better-sqlite3 is synchronous, so with
 * the default (FULL) every write — each refresh rotation — held the event
 * loop for an fsync: 1.5 ms here, capping refresh near 600/s and stalling
 * every other request meanwhile; NORMAL commits in ~35 µs. A process crash
 * loses nothing (the WAL is in the OS's hands); only an OS crash or power cut
 * can lose the last commits, never corrupt the file. For a lost rotation that
 * means the browser's newer token is unknown and the session ends (fail
 * closed). docs/decisions/503-sqlite-synchronous-normal.md.
 */
export function tuneConnection(db: BetterSqlite3.Database): BetterSqlite3.Database["prepare"] {
  db.pragma("synchronous = NORMAL");
  return cacheStatements(db);
}

// The connection Prisma opened, for lib/auth/session-store.ts's prepared
// statements. On globalThis like the Prisma client itself (lib/db.ts): Next
// may bundle this module more than once, and there is one connection.
export interface SqliteConnection {
  db: BetterSqlite3.Database;
  /** better-sqlite3's own prepare: real Statements (db.prepare is the caching wrapper above). */
  prepare: BetterSqlite3.Database["prepare"];
}
const slot = globalThis as unknown as { freshAuthSqlite?: SqliteConnection };

/**
 * Prisma's open SQLite connection, once it has connected (undefined before, on
 * PostgreSQL, and after close), and undefined while an interactive
 * transaction is open on it: a prepared statement run then would join that
 * transaction, so the caller takes the Prisma path, which waits for it
 * (isolateTransactions below).
 */
export function sqliteConnection(): SqliteConnection | undefined {
  const connection = slot.freshAuthSqlite;
  return connection?.db.open && !connection.db.inTransaction ? connection : undefined;
}

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * Prisma's adapter runs everything on ONE connection, and its mutex only
 * orders transactions among themselves: a statement from another request,
 * issued while an interactive transaction is open (its BEGIN ran, its COMMIT
 * not yet), would run inside it, see its uncommitted rows, and be rolled back
 * with it. Statements outside a transaction therefore wait until none is
 * open. With no transaction open this is one property read per query.
 */
export function isolateTransactions(adapter: Adapter): void {
  let open: Promise<void> | null = null;
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const tx: Transaction = await startTransaction(isolationLevel);
    let end!: () => void;
    const current = new Promise<void>((resolve) => (end = resolve));
    open = current;
    const finish = () => {
      if (open === current) open = null;
      end();
    };
    const { commit, rollback } = tx;
    tx.commit = async () => (await commit.call(tx), finish());
    tx.rollback = async () => (await rollback.call(tx), finish());
    return tx;
  };
  for (const name of ["queryRaw", "executeRaw"] as const) {
    const run = adapter[name].bind(adapter) as (query: unknown) => Promise<unknown>;
    (adapter as unknown as Record<string, (query: unknown) => Promise<unknown>>)[name] = async (query) => {
      while (open) await open;
      return run(query);
    };
  }
}

/** PrismaBetterSqlite3 whose connections are tuned as above, with transactions kept apart. */
export class PrismaBetterSqlite3Tuned extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    const db = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    slot.freshAuthSqlite = { db, prepare: tuneConnection(db) };
    isolateTransactions(adapter);
    return adapter;
  }
}
