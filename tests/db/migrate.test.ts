// scripts/migrate.mjs keeps Prisma's history table, refuses what Prisma refuses,
// and applies each migration once however many processes start together.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterEach, describe, test } from "node:test";
import { migrate, migrationsDirFor, readMigrations } from "../../scripts/migrate.mjs";
import { DDL_LOCK_TIMEOUT_MS } from "../../scripts/migrate-pg.mjs";
import { copyMigrations, freshDb, PROVIDERS, tempDir, type TestDb } from "./helpers";
import { pgSkip } from "./pg-harness";

const quiet = { log: () => {} };
const PROBE = "20991231000000_probe";
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

// Columns of Prisma's own `_prisma_migrations` DDL (schema-engine, sql-schema-connector
// flavour/{sqlite,postgres}.rs): name, type, nullable, default.
const HISTORY_COLUMNS = {
  sqlite: [
    ["id", "TEXT", false, null], ["checksum", "TEXT", false, null], ["finished_at", "DATETIME", true, null],
    ["migration_name", "TEXT", false, null], ["logs", "TEXT", true, null], ["rolled_back_at", "DATETIME", true, null],
    ["started_at", "DATETIME", false, "current_timestamp"], ["applied_steps_count", "INTEGER UNSIGNED", false, "0"],
  ],
  postgresql: [
    ["id", "character varying(36)", false, null], ["checksum", "character varying(64)", false, null],
    ["finished_at", "timestamp with time zone", true, null], ["migration_name", "character varying(255)", false, null],
    ["logs", "text", true, null], ["rolled_back_at", "timestamp with time zone", true, null],
    ["started_at", "timestamp with time zone", false, "now()"], ["applied_steps_count", "integer", false, "0"],
  ],
};
const HISTORY_COLUMNS_SQL = {
  sqlite: `SELECT name, type, "notnull" = 0 AS nullable, dflt_value AS dflt
           FROM pragma_table_info('_prisma_migrations') ORDER BY cid`,
  postgresql: `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
      pg_get_expr(d.adbin, d.adrelid) AS dflt FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid
      AND d.adnum = a.attnum WHERE a.attrelid = '_prisma_migrations'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
};

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: unknown;
  finished_at: unknown;
  rolled_back_at: unknown;
  logs: string | null;
  applied_steps_count: number;
}
const history = (db: TestDb) =>
  db.query<HistoryRow>("SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name");

/** Runs migrate() in `n` separate Node processes started together, like N app instances. */
async function migrateInProcesses(n: number, url: string, migrationsDir: string) {
  const script = `import { migrate } from ${JSON.stringify(pathToFileURL(path.resolve("scripts/migrate.mjs")).href)};
    await migrate(process.env.URL, { migrationsDir: process.env.DIR });`;
  const run = () =>
    promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, URL: url, DIR: migrationsDir },
    });
  return (await Promise.all(Array.from({ length: n }, run))).map((o) => o.stdout);
}

/** The project's own migrations, in order: what a fresh database gets. */
const realMigrations = (provider: (typeof PROVIDERS)[number]) => readMigrations(migrationsDirFor(provider), provider).map((m) => m.name);

for (const provider of PROVIDERS) {
  describe(`migrate() on ${provider}`, { skip: provider === "postgresql" && pgSkip }, () => {
    let db: TestDb | undefined;
    const fresh = async () => (db = await freshDb(provider));
    afterEach(() => db?.drop());

    test("creates Prisma's history table and records each migration as Prisma does", async () => {
      const { url } = await fresh();
      const dir = migrationsDirFor(provider);
      assert.deepEqual(await migrate(url, quiet), readMigrations(dir, provider).map((m) => m.name));

      const columns = await db!.query(HISTORY_COLUMNS_SQL[provider]);
      assert.deepEqual(columns.map((c) => [c.name, c.type, !!c.nullable, c.dflt]), HISTORY_COLUMNS[provider]);
      const rows = await history(db!);
      assert.deepEqual(rows.map((r) => r.migration_name), realMigrations(provider));
      assert.equal(rows[0].migration_name, "20261122000000_init");
      for (const row of rows) {
        assert.equal(row.checksum, sha256(path.join(dir, row.migration_name, "migration.sql")));
        assert.match(row.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(row.applied_steps_count, 1);
        assert.equal(row.logs, null);
        assert.equal(row.rolled_back_at, null);
      }
      const [row] = rows;
      // Prisma's engine stores SQLite DATETIMEs as epoch milliseconds, PostgreSQL ones as timestamptz.
      const ms = (v: unknown) => {
        assert.equal(typeof v, provider === "sqlite" ? "number" : "object");
        return +(v as number | Date);
      };
      assert.ok(ms(row.finished_at) >= ms(row.started_at));
      assert.ok(Math.abs(ms(row.started_at) - Date.now()) < 60_000);

      assert.deepEqual(await migrate(url, quiet), [], "a second run applies nothing");
      assert.deepEqual(await history(db!), rows, "and leaves the history alone");
    });

    test("applies each migration exactly once when 4 processes start together", async () => {
      const { url } = await fresh();
      // Not idempotent on purpose: applying it twice would fail loudly.
      const slow = provider === "postgresql" ? "SELECT pg_sleep(0.3);\n" : "";
      const dir = copyMigrations(provider, { [PROBE]: `CREATE TABLE "Probe" ("id" TEXT NOT NULL);\n${slow}` });
      const outputs = await migrateInProcesses(4, url, dir);
      const out = outputs.join("");
      assert.equal(out.match(/applied 20261122000000_init/g)?.length, 1, out);
      assert.equal(out.match(/applied 20991231000000_probe/g)?.length, 1, out);
      // The lock is held for the whole run, not one migration at a time: one
      // process applies them all and the others find nothing to do (the
      // promise docs/deploy.md makes, and what a deploy's logs should show).
      const upToDate = outputs.filter((o) => /database is up to date/.test(o) && !/applied/.test(o));
      assert.equal(upToDate.length, 3, out);
      const rows = await history(db!);
      assert.deepEqual(rows.map((r) => r.migration_name), [...realMigrations(provider), PROBE]);
    });

    test("refuses a migration that was edited after it was applied", async () => {
      const { url } = await fresh();
      const dir = copyMigrations(provider);
      await migrate(url, { ...quiet, migrationsDir: dir });
      const file = path.join(dir, "20261122000000_init", "migration.sql");
      const original = readFileSync(file, "utf8");
      // git may turn LF into CRLF on checkout: Prisma accepts that, and so do we.
      writeFileSync(file, original.replace(/\n/g, "\r\n"));
      assert.deepEqual(await migrate(url, { ...quiet, migrationsDir: dir }), []);
      writeFileSync(file, original);
      appendFileSync(file, "\n-- edited\n");
      await assert.rejects(migrate(url, { ...quiet, migrationsDir: dir }), {
        code: "MIGRATION_MODIFIED",
        message: /`20261122000000_init` was modified after it was applied/,
      });
    });

    test("a failing migration is rolled back whole, then applies once fixed", async () => {
      const { url } = await fresh();
      const bad = `CREATE TABLE "Probe" ("id" TEXT NOT NULL);\nINSERT INTO "Nowhere" VALUES (1);\n`;
      const dir = copyMigrations(provider, { [PROBE]: bad });
      await assert.rejects(migrate(url, { ...quiet, migrationsDir: dir }), {
        code: "P3018",
        message: /`20991231000000_probe` failed and was rolled back.*Nowhere/s,
      });
      assert.deepEqual((await history(db!)).map((r) => r.migration_name), realMigrations(provider));
      await assert.rejects(db!.query('SELECT * FROM "Probe"'), /Probe/);

      writeFileSync(path.join(dir, PROBE, "migration.sql"), `CREATE TABLE "Probe" ("id" TEXT NOT NULL);\n`);
      assert.deepEqual(await migrate(url, { ...quiet, migrationsDir: dir }), [PROBE]);
    });

    test("refuses to start over a failed migration that Prisma recorded (P3009)", async () => {
      const { url } = await fresh();
      const dir = copyMigrations(provider, { [PROBE]: `CREATE TABLE "Probe" ("id" TEXT NOT NULL);\n` });
      await migrate(url, quiet); // only the real migrations
      const now = provider === "sqlite" ? Date.now() : new Date();
      await db!.query(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, logs) VALUES (?, ?, ?, ?, ?)",
        ["00000000-0000-4000-8000-000000000000", "x".repeat(64), PROBE, now, "boom"],
      );
      await assert.rejects(migrate(url, { ...quiet, migrationsDir: dir }), {
        code: "P3009",
        message: /failed migrations.*`20991231000000_probe`.*migrate resolve --rolled-back/s,
      });
      // What `prisma migrate resolve --rolled-back` does; then the migration runs again.
      await db!.query("UPDATE _prisma_migrations SET rolled_back_at = ? WHERE finished_at IS NULL", [now]);
      assert.deepEqual(await migrate(url, { ...quiet, migrationsDir: dir }), [PROBE]);
    });

    test("an older release starts on a database a newer one migrated, with a warning", async () => {
      const { url } = await fresh();
      const newer = copyMigrations(provider, { [PROBE]: 'CREATE TABLE "Probe" ("id" TEXT);\n' });
      await migrate(url, { ...quiet, migrationsDir: newer });
      const lines: string[] = [];
      assert.deepEqual(await migrate(url, { log: (line) => lines.push(line) }), []);
      assert.match(lines.join("\n"), /warning: applied migrations missing from disk: 20991231000000_probe/);
    });

    test("refuses a non-empty database without history (P3005)", async () => {
      const { url } = await fresh();
      await db!.query('CREATE TABLE "Legacy" ("id" INTEGER)');
      await assert.rejects(migrate(url, quiet), { code: "P3005", message: /Legacy/ });
    });
  });
}

test("refuses migrations locked to another provider (P3019)", async () => {
  const sqliteDir = migrationsDirFor("sqlite");
  await assert.rejects(migrate("postgresql://nobody@127.0.0.1:1/none", { ...quiet, migrationsDir: sqliteDir }), {
    code: "P3019",
  });
});

test("SQLite: relative file: URLs resolve against the cwd, parent folders are created, WAL is on", async () => {
  const cwd = tempDir();
  await promisify(execFile)(process.execPath, [path.resolve("scripts/migrate.mjs")], {
    cwd,
    env: { ...process.env, DATABASE_URL: "file:./nested/dir/app.db" },
  });
  const Database = (await import("better-sqlite3")).default;
  const sqlite = new Database(path.join(cwd, "nested/dir/app.db"), { readonly: true });
  assert.equal(sqlite.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(sqlite.prepare("SELECT count(*) FROM _prisma_migrations").pluck().get(), realMigrations("sqlite").length);
  sqlite.close();
});

test("SQLite: a brand-new file another process is still converting to WAL is waited for, not refused", async () => {
  // SQLite answers the journal_mode PRAGMA with SQLITE_BUSY at once, without
  // the busy timeout, while another connection holds the file's lock in
  // rollback mode: what a second instance meets when two start together on a
  // new file. Hold that lock here for a moment, then let go.
  const db = await freshDb("sqlite");
  try {
    const Database = (await import("better-sqlite3")).default;
    const other = new Database(db.url.slice("file:".length));
    other.exec("BEGIN IMMEDIATE; CREATE TABLE \"Other\" (\"id\" TEXT);");
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec("ROLLBACK");
        other.close();
        resolve();
      }, 300),
    );
    const started = Date.now();
    assert.deepEqual(await migrate(db.url, quiet), realMigrations("sqlite"));
    assert.ok(Date.now() - started >= 250, "it waited for the lock");
    await released;
  } finally {
    await db.drop();
  }
});

test("PostgreSQL: 4 concurrent migrate() calls in one process apply once", { skip: pgSkip }, async () => {
  const db = await freshDb("postgresql");
  try {
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(db.url, quiet)));
    assert.equal(results.flat().length, realMigrations("postgresql").length);
    assert.equal((await history(db)).length, realMigrations("postgresql").length);
  } finally {
    await db.drop();
  }
});

test("PostgreSQL: waits for Prisma's advisory lock, and gives up with a clear error", { skip: pgSkip }, async () => {
  const db = await freshDb("postgresql");
  const holder = new pg.Client({ connectionString: db.url });
  try {
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock(72707369)"); // what `prisma migrate deploy` holds
    await assert.rejects(migrate(db.url, { ...quiet, timeoutMs: 300 }), /waiting for the migration lock/);
    const waiting = migrate(db.url, { ...quiet, timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await holder.query("SELECT pg_advisory_unlock(72707369)");
    assert.deepEqual(await waiting, realMigrations("postgresql"));
  } finally {
    await holder.end();
    await db.drop();
  }
});

test("PostgreSQL: DDL that cannot lock a busy table fails within seconds instead of stalling traffic", { skip: pgSkip }, async () => {
  const db = await freshDb("postgresql");
  const reader = new pg.Client({ connectionString: db.url });
  const app = new pg.Client({ connectionString: db.url });
  try {
    await migrate(db.url, quiet);
    const dir = copyMigrations("postgresql", { [PROBE]: 'ALTER TABLE "User" ADD COLUMN "probe" TEXT;\n' });
    await Promise.all([reader.connect(), app.connect()]);
    // An open transaction that has read "User" holds a lock that ALTER TABLE must wait for.
    await reader.query('BEGIN; SELECT count(*) FROM "User"');
    const started = performance.now();
    const migrating = migrate(db.url, { ...quiet, migrationsDir: dir, timeoutMs: 20_000 });
    migrating.catch(() => {});
    // While the ALTER waits, app queries on the table queue behind it: for how long is the point.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const query = performance.now();
    await app.query('SELECT count(*) FROM "User"');
    const queued = performance.now() - query;
    await assert.rejects(migrating, { code: "LOCK_TIMEOUT", message: new RegExp(`\`${PROBE}\` waited ${DDL_LOCK_TIMEOUT_MS} ms for a table lock`) });
    const failedAfter = performance.now() - started;
    assert.ok(failedAfter < DDL_LOCK_TIMEOUT_MS + 4_000, `gave up after ${Math.round(failedAfter)} ms; the 20 s lock wait is for the advisory lock only`);
    assert.ok(queued < DDL_LOCK_TIMEOUT_MS + 2_000, `an app query waited ${Math.round(queued)} ms behind the migration`);
    assert.deepEqual((await history(db)).map((r) => r.migration_name), realMigrations("postgresql"), "nothing recorded");

    await reader.query("COMMIT");
    assert.deepEqual(await migrate(db.url, { ...quiet, migrationsDir: dir }), [PROBE], "applies once the table is free");
  } finally {
    await Promise.all([reader.end(), app.end()]);
    await db.drop();
  }
});
