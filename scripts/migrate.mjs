// Applies prisma/migrations (SQLite) or prisma/postgresql/migrations the way
// `prisma migrate deploy` does, without Prisma's schema engine (it cannot be
// downloaded here, see docs/decisions/201-own-migration-applier.md). History
// lives in `_prisma_migrations` with Prisma's own DDL and values, so the real
// `prisma migrate deploy/status` agrees with it on machines that have the engine.
//
//   node scripts/migrate.mjs            # migrates $DATABASE_URL
//   import { migrate } from "./migrate.mjs"; await migrate(url, { log })
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MigrationError } from "./migration-error.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_DATABASE_URL = "file:./data/app.db";
const TABLE = "_prisma_migrations";

export { MigrationError };

export const providerOf = (url) => (/^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite");

export function migrationsDirFor(provider) {
  return path.join(root, "prisma", ...(provider === "postgresql" ? ["postgresql"] : []), "migrations");
}

/** Prisma stores sha256 (hex) of the migration.sql bytes. */
export const checksumOf = (script) => createHash("sha256").update(script).digest("hex");

// Like Prisma, accept a file whose line endings git converted after it was applied.
function checksumMatches(script, checksum) {
  return [script, script.replace(/\r\n/g, "\n"), script.replace(/\r?\n/g, "\r\n")].some(
    (s) => checksumOf(s) === checksum,
  );
}

/** Lists `<dir>/<name>/migration.sql` in name order, as Prisma does. */
export function readMigrations(dir, provider) {
  const lock = readFileSync(path.join(dir, "migration_lock.toml"), "utf8");
  const locked = /^\s*provider\s*=\s*"([^"]+)"/m.exec(lock)?.[1];
  if (locked !== provider) {
    throw new MigrationError(
      "P3019",
      `The database is ${provider} but ${dir}/migration_lock.toml says "${locked}".`,
    );
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const buf = readFileSync(path.join(dir, name, "migration.sql"));
      return { name, script: buf.toString("utf8"), checksum: checksumOf(buf) };
    });
}

/** Decides, under the lock, which migration comes next (or refuses, as Prisma would). */
async function nextMigration(db, migrations, log) {
  const tables = await db.tables();
  if (!tables.includes(TABLE)) {
    // Prisma's P3005: never adopt tables that some other tool created.
    if (tables.length) {
      throw new MigrationError(
        "P3005",
        `The database schema is not empty (tables: ${tables.join(", ")}) and has no ${TABLE} ` +
          "history. Baseline it first: https://pris.ly/d/migrate-baseline",
      );
    }
    await db.createHistoryTable();
  }
  const rows = (await db.history()).filter((r) => r.rolled_back_at == null);
  const failed = rows.filter((r) => r.finished_at == null);
  if (failed.length) {
    const names = failed.map((r) => `\`${r.migration_name}\``).join(", ");
    throw new MigrationError(
      "P3009",
      `Found failed migrations in the target database (${names}); new migrations will not be ` +
        "applied. Repair the database by hand, then mark each one rolled back: " +
        "`npx prisma migrate resolve --rolled-back <name>` where Prisma's engine is available, " +
        `or \`UPDATE "${TABLE}" SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = '<name>' ` +
        "AND finished_at IS NULL`. See https://pris.ly/d/migrate-resolve",
    );
  }
  const applied = new Map(rows.map((r) => [r.migration_name, r]));
  for (const m of migrations) {
    const row = applied.get(m.name);
    if (row && !checksumMatches(m.script, row.checksum)) {
      throw new MigrationError(
        "MIGRATION_MODIFIED",
        `Migration \`${m.name}\` was modified after it was applied (checksum ${row.checksum} in ` +
          `the database, ${m.checksum} on disk). Restore the original file and put the change in ` +
          "a new migration.",
      );
    }
  }
  const next = migrations.find((m) => !applied.has(m.name));
  // Prisma ignores these too; they appear when an older release starts against
  // a database that a newer one already migrated (e.g. during a rollback).
  const unknown = next ? [] : [...applied.keys()].filter((name) => !migrations.some((m) => m.name === name));
  if (unknown.length) log(`migrate: warning: applied migrations missing from disk: ${unknown.join(", ")}`);
  return next;
}

/**
 * Applies pending migrations to `databaseUrl`, each in its own transaction
 * (a savepoint on SQLite) together with its history row, so a failure leaves
 * neither half behind. Returns the names applied. Safe to call from many
 * processes at once: each provider holds one lock for the whole run, so one
 * process applies everything and the others then find nothing to do.
 */
export async function migrate(databaseUrl = DEFAULT_DATABASE_URL, options = {}) {
  const { log = console.log, timeoutMs = 60_000 } = options;
  if (!/^(file:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new MigrationError("INVALID_URL", "DATABASE_URL must start with file: or postgresql://");
  }
  const provider = providerOf(databaseUrl);
  const migrations = readMigrations(options.migrationsDir ?? migrationsDirFor(provider), provider);
  const db =
    provider === "postgresql"
      ? await (await import("./migrate-pg.mjs")).openPostgres(databaseUrl, timeoutMs)
      : await (await import("./migrate-sqlite.mjs")).openSqlite(databaseUrl, timeoutMs);
  const applied = [];
  try {
    for (;;) {
      await db.begin();
      try {
        const next = await nextMigration(db, migrations, log);
        if (!next) {
          await db.commit();
          break;
        }
        const startedAt = new Date();
        try {
          await db.apply(next.script, next.name);
        } catch (error) {
          // Already says what happened. By name, not instanceof: a loader (tsx in
          // the tests) may give the provider module its own copy of the class.
          if (error.name === "MigrationError") throw error;
          throw new MigrationError(
            "P3018",
            `Migration \`${next.name}\` failed and was rolled back; nothing from it was applied. ` +
              `Fix it and start again. Database error: ${error.message}`,
          );
        }
        await db.record({ id: randomUUID(), ...next, startedAt, finishedAt: new Date() });
        await db.commit();
        applied.push(next.name);
        log(`migrate: applied ${next.name} (${Date.now() - startedAt.getTime()} ms)`);
      } catch (error) {
        await db.rollback();
        throw error;
      }
    }
  } finally {
    await db.close();
  }
  if (!applied.length) log(`migrate: ${provider} database is up to date, nothing to apply`);
  return applied;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  migrate(process.env.DATABASE_URL || DEFAULT_DATABASE_URL).catch((error) => {
    console.error(`migrate: ${error.code ? `[${error.code}] ` : ""}${error.message}`);
    process.exit(1);
  });
}
