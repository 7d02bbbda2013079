// Types for scripts/migrate-pg.mjs (the PostgreSQL side of scripts/migrate.mjs).
export declare const PRISMA_LOCK_KEY: number;
/** The longest a migration statement waits for a table lock before the migration fails (LOCK_TIMEOUT). */
export declare const DDL_LOCK_TIMEOUT_MS: number;
/** Fills in the user psql would use when the URL names none (PGUSER, USER, then the OS user). */
export declare function withDefaultUser(url: string): string;
