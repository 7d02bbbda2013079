// The generated Prisma clients and the hand-written migrations must agree:
// write and read through each provider's client and driver adapter, DateTime
// columns and the Session → User cascade included.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, describe, test } from "node:test";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { migrate } from "../../scripts/migrate.mjs";
import { PrismaClient as SqliteClient } from "../../lib/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../../lib/generated/postgresql/client";
import { freshDb, PROVIDERS, type Provider, type TestDb } from "./helpers";
import { pgSkip } from "./pg-harness";

function clientFor(provider: Provider, url: string): SqliteClient {
  if (provider === "sqlite") {
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: url.replace(/^file:/, "") }) });
  }
  // Both generated clients expose the same model API (as lib/db.ts relies on).
  return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as SqliteClient;
}

for (const provider of PROVIDERS) {
  describe(`Prisma client on ${provider}`, { skip: provider === "postgresql" && pgSkip }, () => {
    let db: TestDb | undefined;
    let prisma: SqliteClient | undefined;
    afterEach(async () => {
      await prisma?.$disconnect();
      await db?.drop();
    });

    test("inserts and reads a User and a Session; deleting the user cascades", async () => {
      db = await freshDb(provider);
      await migrate(db.url, { log: () => {} });
      prisma = clientFor(provider, db.url);

      const id = randomUUID();
      const expiresAt = new Date("2031-02-03T04:05:06.789Z"); // millisecond precision survives
      const before = Date.now();
      const session = { id: randomUUID(), expiresAt, authTime: expiresAt, currentJti: "j1" };
      const user = await prisma.user.create({
        data: { id, email: "ada@example.com", passwordHash: "x", sessions: { create: session } },
        include: { sessions: true },
      });
      assert.equal(user.name, "", "the column default applies");
      assert.ok(user.createdAt instanceof Date && Math.abs(+user.createdAt - before) < 60_000);

      const read = await prisma.user.findUniqueOrThrow({
        where: { email: "ada@example.com" },
        include: { sessions: true },
      });
      assert.deepEqual(read, user);
      assert.equal(read.sessions[0].expiresAt.toISOString(), expiresAt.toISOString());
      assert.equal(read.sessions[0].revokedAt, null);

      const twin = { id: randomUUID(), email: "ada@example.com", passwordHash: "y" };
      await assert.rejects(prisma.user.create({ data: twin }), { code: "P2002" }); // @unique holds
      await prisma.user.delete({ where: { id } });
      assert.equal(await prisma.session.count(), 0, "sessions go with their user (onDelete: Cascade)");
    });
  });
}
