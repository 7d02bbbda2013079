// Prisma's SQLite adapter runs everything on ONE connection: a statement from
// another request, issued while an interactive transaction is open, would run
// inside that transaction and be rolled back with it. The tuned adapter makes
// such statements wait for the transaction to end.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, test } from "node:test";
import { setTestEnv, sleep, tempDir } from "./test-utils";

const temp = tempDir("fa-sqlite-tx-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL });

let db: typeof import("./db");

before(async () => {
  const { migrate } = await import("../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("./db");
});
after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

const user = (id: string) => ({ id, email: `${id}@example.com`, name: "", passwordHash: "x" });

test("a write made outside a transaction that rolls back is kept", async () => {
  const prisma = db.getDb();
  let inside!: () => void;
  const opened = new Promise<void>((resolve) => (inside = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const failing = prisma.$transaction(async (tx) => {
    await tx.user.create({ data: user("in-tx") });
    inside();
    // Another request's write arrives now; without the fix it completes
    // inside this transaction, with it it waits (and the race times out).
    await Promise.race([written, sleep(300)]);
    throw new Error("the change failed");
  });
  await opened;
  const outside = prisma.user.create({ data: user("outside") }).then(wrote);
  await assert.rejects(failing, /the change failed/);
  await outside;
  assert.equal(await prisma.user.count({ where: { id: "in-tx" } }), 0, "the transaction's own write is rolled back");
  assert.equal(await prisma.user.count({ where: { id: "outside" } }), 1, "the other request's write survives");
});

test("reads and writes outside a transaction see only committed data and still run when none is open", async () => {
  const prisma = db.getDb();
  let inside!: () => void;
  const opened = new Promise<void>((resolve) => (inside = resolve));
  const committing = prisma.$transaction(async (tx) => {
    await tx.user.create({ data: user("committed-later") });
    inside();
    await sleep(50);
  });
  await opened;
  // Waits for the commit rather than reading the uncommitted row (or not seeing it).
  assert.equal(await prisma.user.count({ where: { id: "committed-later" } }), 1);
  await committing;
  await prisma.user.create({ data: user("plain") });
  assert.equal(await prisma.user.count({ where: { id: "plain" } }), 1);
});

test("the hot path's prepared statements stand aside while a transaction is open", async () => {
  const prisma = db.getDb();
  const { sqliteConnection } = await import("./sqlite-adapter");
  await prisma.user.count();
  assert.ok(sqliteConnection(), "used when no transaction is open");
  let seen: unknown = "unset";
  await prisma.$transaction(async (tx) => {
    await tx.user.count();
    seen = sqliteConnection();
  });
  assert.equal(seen, undefined, "not offered inside one");
});

// Another process on the same file (a second instance, the test kit's agent, a
// script): better-sqlite3 in a child, waiting for the lock as the app would.
function writeFromAnotherProcess(file: string, id: string): Promise<void> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1], { timeout: 5000 });
    db.prepare("INSERT INTO User (id, email, name, passwordHash, createdAt, updatedAt) VALUES (?, ?, '', 'x', 0, 0)").run(process.argv[2], process.argv[2] + "@example.com");
    db.close();`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["-e", script, file, id], { cwd: process.cwd() }, (error, _out, stderr) => (error ? reject(new Error(stderr || String(error))) : resolve()));
  });
}

test("a transaction that reads, then writes, survives another process committing in between", async () => {
  const prisma = db.getDb();
  const file = DATABASE_URL.replace(/^file:/, "");
  let other!: Promise<void>;
  await prisma.$transaction(async (tx) => {
    await tx.user.findUnique({ where: { id: "reader-writer" } });
    // With a deferred BEGIN the other process commits now, and the write
    // below fails with SQLITE_BUSY_SNAPSHOT ("Operation has timed out"). With
    // BEGIN IMMEDIATE it waits for this commit instead.
    other = writeFromAnotherProcess(file, "other-process");
    await Promise.race([other.catch(() => {}), sleep(1500)]);
    await tx.user.create({ data: user("reader-writer") });
  });
  await other;
  assert.equal(await prisma.user.count({ where: { id: { in: ["reader-writer", "other-process"] } } }), 2, "both writes are kept");
});
