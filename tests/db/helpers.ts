// A fresh, empty database per test on either provider, and a copy of the
// migrations folder that a test may add to or tamper with.
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { migrationsDirFor } from "../../scripts/migrate.mjs";
import { createTempPgDatabase } from "./pg-harness";

export type Provider = "sqlite" | "postgresql";
export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];

export interface TestDb {
  url: string;
  /** Runs one statement; `?` placeholders work on both providers. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export function tempDir(prefix = "fa-db-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function freshDb(provider: Provider): Promise<TestDb> {
  if (provider === "sqlite") {
    const dir = tempDir();
    const file = path.join(dir, "app.db");
    return {
      url: `file:${file}`,
      async query(sql, params = []) {
        const db = new Database(file);
        try {
          const stmt = db.prepare(sql);
          return (stmt.reader ? stmt.all(...params) : (stmt.run(...params), [])) as never;
        } finally {
          db.close();
        }
      },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const temp = await createTempPgDatabase();
  if (!temp) throw new Error("TEST_DATABASE_URL_PG is unset");
  return {
    url: temp.url,
    async query(sql, params = []) {
      const client = new pg.Client({ connectionString: temp.url });
      await client.connect();
      try {
        let n = 0;
        return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
      } finally {
        await client.end();
      }
    },
    drop: temp.drop,
  };
}

/** Copies the provider's migrations (lock file included) and adds `extra` ones: name → SQL. */
export function copyMigrations(provider: Provider, extra: Record<string, string> = {}): string {
  const dir = path.join(tempDir("fa-migrations-"), "migrations");
  cpSync(migrationsDirFor(provider), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}
