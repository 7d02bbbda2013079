// One statement against a test server's database, on either provider, for
// what no API shows (a confirmed authenticator, a flag the public user lacks).
import Database from "better-sqlite3";
import pg from "pg";

/** `?` placeholders work on both providers. */
export async function sql<T = Record<string, unknown>>(databaseUrl: string, statement: string, params: unknown[] = []): Promise<T[]> {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { timeout: 5_000 });
    try {
      const prepared = db.prepare(statement);
      return (prepared.reader ? prepared.all(...params) : (prepared.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let n = 0;
    const res = await client.query(statement.replace(/\?/g, () => `$${++n}`), params);
    return res.rows as T[];
  } finally {
    await client.end();
  }
}
