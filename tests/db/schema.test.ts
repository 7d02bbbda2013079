// The hand-written migrations must build exactly what schema.prisma describes,
// on both providers: Prisma's engine (which would generate them) cannot run here.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { migrate } from "../../scripts/migrate.mjs";
import { assertSameShape, expectedShape, postgresShape, sqliteShape } from "./db-shape";
import { createTempPgDatabase, pgSkip, type TempPgDatabase } from "./pg-harness";
import { modelSection, parseModels } from "./prisma-schema";

const SQLITE_SCHEMA = "prisma/schema.prisma";
const PG_SCHEMA = "prisma/postgresql/schema.prisma";
const quiet = { log: () => {} };

test("both schema files declare identical models", () => {
  assert.equal(modelSection(PG_SCHEMA), modelSection(SQLITE_SCHEMA));
});

test("the schema reader sees every model", () => {
  const names = parseModels(SQLITE_SCHEMA).map((m) => m.name);
  assert.deepEqual(names.sort(), ["EmailToken", "Passkey", "PendingSignIn", "RateLimit", "RecoveryCode", "SecurityEvent", "Session", "TotpFactor", "User", "WebAuthnChallenge"]);
});

describe("SQLite migrations match schema.prisma", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "fa-schema-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("tables, columns, keys, indexes and foreign keys", async () => {
    const file = path.join(dir, "app.db");
    await migrate(`file:${file}`, quiet);
    assertSameShape(sqliteShape(file), expectedShape(parseModels(SQLITE_SCHEMA), "sqlite"));
  });
});

describe("PostgreSQL migrations match schema.prisma", { skip: pgSkip }, () => {
  let db: TempPgDatabase;
  before(async () => {
    db = (await createTempPgDatabase())!;
  });
  after(() => db?.drop());

  test("tables, columns, keys, indexes and foreign keys", async () => {
    await migrate(db.url, quiet);
    assertSameShape(await postgresShape(db.url), expectedShape(parseModels(PG_SCHEMA), "postgresql"));
  });
});
