// The statement cache must change nothing but cost: same rows, same writes,
// transactions intact, and each SQL string compiled once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import { setTestEnv } from "./test-utils";

setTestEnv();

const dir = mkdtempSync(path.join(tmpdir(), "fresh-auth-stmt-"));
let db: Database.Database;
let compiled = 0;

before(async () => {
  const { cacheStatements } = await import("./sqlite-adapter");
  db = new Database(path.join(dir, "t.db"));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const original = db.prepare.bind(db);
  db.prepare = ((sql: string) => (compiled++, original(sql))) as typeof db.prepare;
  cacheStatements(db);
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

// The calls Prisma's adapter makes: prepare(sql).bind(args), then run() or columns() + raw().all().
const write = (id: number, name: string) => db.prepare("INSERT INTO t (id, name) VALUES (?, ?)").bind([id, name]).run();
const read = (id: number) => {
  const stmt = db.prepare("SELECT id, name FROM t WHERE id = ?").bind([id]);
  return { reader: stmt.reader, columns: stmt.columns().map((c) => c.name), rows: stmt.raw().all() };
};

test("each call binds its own parameters to the one compiled statement", () => {
  const before = compiled;
  write(1, "one");
  write(2, "two");
  assert.deepEqual(read(1), { reader: true, columns: ["id", "name"], rows: [[1, "one"]] });
  assert.deepEqual(read(2).rows, [[2, "two"]]);
  assert.deepEqual(read(3).rows, []);
  assert.equal(compiled - before, 2, "one compile per distinct SQL string");
});

test("a rolled-back transaction leaves nothing behind", () => {
  db.prepare("BEGIN").run();
  write(10, "ten");
  assert.deepEqual(read(10).rows, [[10, "ten"]]);
  db.prepare("ROLLBACK").run();
  assert.deepEqual(read(10).rows, []);
});

test("the app's connections commit without an fsync per write (synchronous=NORMAL)", async () => {
  const { PrismaBetterSqlite3Tuned } = await import("./sqlite-adapter");
  const factory = new PrismaBetterSqlite3Tuned({ url: path.join(dir, "tuned.db") });
  const adapter = await factory.connect();
  try {
    const result = await adapter.queryRaw({ sql: "PRAGMA synchronous", args: [], argTypes: [] });
    assert.equal(Number(result.rows[0][0]), 1, "1 = NORMAL (2 = FULL, the default)");
  } finally {
    await adapter.dispose();
  }
});
