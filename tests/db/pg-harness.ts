// Throwaway PostgreSQL databases for tests (these and the HTTP tests).
// TEST_DATABASE_URL_PG names a server and a database we may connect to for
// CREATE/DROP DATABASE; each test gets its own database, so runs never share state.
import { randomBytes } from "node:crypto";
import pg from "pg";

const baseUrl = process.env.TEST_DATABASE_URL_PG;

/** For `test(name, { skip: pgSkip }, …)`: false when PostgreSQL is configured, else the reason. */
export const pgSkip: string | false = baseUrl
  ? false
  : "TEST_DATABASE_URL_PG is unset (e.g. postgresql://postgres@127.0.0.1:5432/postgres): PostgreSQL tests skipped";

export interface TempPgDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database `fa_test_<random>`; null when TEST_DATABASE_URL_PG is unset. */
export async function createTempPgDatabase(): Promise<TempPgDatabase | null> {
  if (!baseUrl) return null;
  const name = `fa_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      admin(async (c) => {
        // A server under test may still hold pooled connections; DROP would fail.
        await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      }),
  };
}
