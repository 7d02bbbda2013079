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

export function cacheStatements(db: BetterSqlite3.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, BetterSqlite3.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size < MAX_STATEMENTS) cache.set(sql, stmt);
    }
    return reusable(stmt);
  }) as unknown as BetterSqlite3.Database["prepare"];
}

/** PrismaBetterSqlite3 whose connections keep their compiled statements. */
export class PrismaBetterSqlite3Cached extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    cacheStatements((adapter as unknown as { client: BetterSqlite3.Database }).client);
    return adapter;
  }
}
