// Types for scripts/migrate.mjs (plain JS so `npm start` runs it without a compiler).
export declare const DEFAULT_DATABASE_URL: string;
export declare class MigrationError extends Error {
  /** Prisma's error code where Prisma has one (P3005, P3009, P3018, P3019), else MIGRATION_MODIFIED or LOCK_TIMEOUT. */
  code: string;
}
export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}
export interface MigrateOptions {
  /** Receives one line per applied migration; default console.log. */
  log?: (message: string) => void;
  /** Lock and connection wait in ms (SQLite busy timeout, PostgreSQL lock_timeout); default 60 000. */
  timeoutMs?: number;
  /** Defaults to prisma/migrations or prisma/postgresql/migrations by provider. */
  migrationsDir?: string;
}
export declare function providerOf(url: string): "sqlite" | "postgresql";
export declare function migrationsDirFor(provider: "sqlite" | "postgresql"): string;
export declare function checksumOf(script: string | Uint8Array): string;
export declare function readMigrations(dir: string, provider: "sqlite" | "postgresql"): MigrationFile[];
/** Applies pending migrations; returns the names applied (empty when up to date). */
export declare function migrate(databaseUrl?: string, options?: MigrateOptions): Promise<string[]>;
