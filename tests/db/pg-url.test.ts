// `createdb fa && DATABASE_URL=postgresql://localhost/fa npm start` must work
// like psql does: a URL without a user means the OS user (or PGUSER), even
// where $USER is unset (containers, service managers), and both the migrator
// and the app's client read the URL the same way.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { userInfo } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, test } from "node:test";
import { withDefaultUser as forMigrations } from "../../scripts/migrate-pg.mjs";
import { createTempPgDatabase, pgSkip, type TempPgDatabase } from "./pg-harness";
import { setTestEnv } from "../../lib/test-utils";

setTestEnv({ LOG_LEVEL: "silent" });

describe("a PostgreSQL URL without a user", () => {
  const saved = { USER: process.env.USER, PGUSER: process.env.PGUSER };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test("gets PGUSER, else USER, else the OS user; a URL with a user or a socket path is left alone", async () => {
    const { withDefaultUser: forApp } = await import("../../lib/db");
    for (const withDefaultUser of [forMigrations, forApp]) {
      process.env.PGUSER = "pg user";
      process.env.USER = "shell";
      assert.equal(withDefaultUser("postgresql://localhost/fa"), "postgresql://pg%20user@localhost/fa");
      delete process.env.PGUSER;
      assert.equal(withDefaultUser("postgres://db.internal:6432/fa?sslmode=require"), "postgres://shell@db.internal:6432/fa?sslmode=require");
      delete process.env.USER;
      assert.equal(withDefaultUser("postgresql://localhost/fa"), `postgresql://${encodeURIComponent(userInfo().username)}@localhost/fa`);
      for (const unchanged of ["postgresql://app:s%40cret@db:5432/fa", "postgresql:///fa?host=/var/run/postgresql"]) {
        assert.equal(withDefaultUser(unchanged), unchanged);
      }
    }
  });
});

describe("migrating through a URL without a user, with $USER unset", { skip: pgSkip }, () => {
  let db: TempPgDatabase | null = null;
  afterEach(() => db?.drop());

  /** Runs scripts/migrate.mjs in a child whose environment has no USER. */
  async function migrateWithout(url: string, env: Record<string, string>) {
    const script = `import { migrate } from ${JSON.stringify(pathToFileURL(path.resolve("scripts/migrate.mjs")).href)};
      try { await migrate(process.env.URL, { log: () => {} }); console.log("ok"); }
      catch (e) { console.log(e.code + " " + e.message); }`;
    const childEnv: NodeJS.ProcessEnv = { ...process.env, URL: url };
    delete childEnv.USER;
    delete childEnv.PGUSER;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env: { ...childEnv, ...env } });
    return stdout.trim();
  }

  test("PGUSER is honoured, and a missing role is explained, never 'no user name specified'", async () => {
    db = await createTempPgDatabase();
    const base = new URL(db!.url);
    const admin = decodeURIComponent(base.username);
    base.username = "";
    assert.equal(await migrateWithout(base.toString(), { PGUSER: admin }), "ok");
    const asOsUser = await migrateWithout(base.toString(), {});
    assert.doesNotMatch(asOsUser, /no PostgreSQL user name specified/);
    if (asOsUser !== "ok") assert.match(asOsUser, /^28000 role .* does not exist\. Put a user in the URL/);
  });

  test("a database that does not exist says to create it", async () => {
    const url = new URL(process.env.TEST_DATABASE_URL_PG!);
    url.pathname = "/fa_missing_database";
    assert.match(await migrateWithout(url.toString(), {}), /^3D000 .*Create the database first: `createdb fa_missing_database`/);
  });
});
