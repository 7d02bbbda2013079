// The hot-path statements (lib/auth/session-store.ts): the prepared SQLite
// form must read and write exactly what Prisma reads and writes, or a
// comparison in SQL (times are stored as text) would silently go wrong.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTestEnv, tempDir } from "../test-utils";

const temp = tempDir("fa-store-");
const DATABASE_URL = `file:${path.join(temp.dir, "x.db")}`;
setTestEnv({ DATABASE_URL });

let store: typeof import("./session-store");
let sessions: typeof import("./sessions");
let users: typeof import("./users");
let db: typeof import("../db");
let adapter: typeof import("../sqlite-adapter");

before(async () => {
  const { migrate } = await import("../../scripts/migrate.mjs");
  await migrate(DATABASE_URL, { log: () => {} });
  db = await import("../db");
  adapter = await import("../sqlite-adapter");
  users = await import("./users");
  sessions = await import("./sessions");
  store = await import("./session-store");
});

after(async () => {
  await db?.getDb().$disconnect();
  temp.cleanup();
});

let count = 0;
async function newSession() {
  const user = await users.createUser({ email: `store${++count}@example.com`, password: "correct horse battery", name: `Store ${count}` });
  const issued = await sessions.createSession(user.id, "unit-test");
  const row = await db.getDb().session.findUniqueOrThrow({ where: { id: issued.view.id } });
  return { user, row };
}

describe("session-store on SQLite", () => {
  test("runs on Prisma's own connection once it is open", async () => {
    await newSession();
    assert.ok(adapter.sqliteConnection(), "the prepared path is not in use");
  });

  test("readLiveSession returns what Prisma reads, with real Dates and booleans", async () => {
    const { user, row } = await newSession();
    await db.getDb().user.update({ where: { id: user.id }, data: { emailVerified: true, credentialVersion: 3 } });
    const live = await store.readLiveSession(row.id);
    assert.deepEqual(live, {
      userId: user.id,
      revokedAt: null,
      expiresAt: row.expiresAt,
      sessionCredentialVersion: row.credentialVersion,
      authMethods: row.authMethods,
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerified: true,
      userCredentialVersion: 3,
    });
    assert.equal(await store.readLiveSession("no-such-session"), undefined);
    const revokedAt = new Date();
    await db.getDb().session.update({ where: { id: row.id }, data: { revokedAt } });
    assert.deepEqual((await store.readLiveSession(row.id))?.revokedAt, revokedAt);
  });

  test("rotateCurrentJti: one compare-and-set, times written as Prisma writes them", async () => {
    const { row } = await newSession();
    const now = new Date();
    const input = { sessionId: row.id, userId: row.userId, presentedJti: row.currentJti, newJti: "jti-2", now };
    const rotated = await store.rotateCurrentJti(input);
    assert.deepEqual(rotated, {
      id: row.id,
      userId: row.userId,
      expiresAt: row.expiresAt,
      authTime: row.authTime,
      authMethods: row.authMethods,
      currentJti: "jti-2",
      credentialVersion: row.credentialVersion,
    });
    // The same jti again: no longer current, nothing written.
    assert.equal(await store.rotateCurrentJti({ ...input, newJti: "jti-3" }), null);
    // Prisma reads the written times back, and its own comparisons on them work.
    const after = await db.getDb().session.findFirst({
      where: { id: row.id, lastUsedAt: { equals: now }, rotatedAt: { gte: now, lte: new Date() } },
      select: { currentJti: true, parentJti: true },
    });
    assert.deepEqual(after, { currentJti: "jti-2", parentJti: row.currentJti });
  });

  test("rotateCurrentJti refuses a revoked, an expired, an outdated or another user's session", async () => {
    const { row } = await newSession();
    const input = { sessionId: row.id, userId: row.userId, presentedJti: row.currentJti, newJti: "x", now: new Date() };
    assert.equal(await store.rotateCurrentJti({ ...input, userId: "someone-else" }), null);
    assert.equal(await store.rotateCurrentJti({ ...input, now: new Date(row.expiresAt.getTime() + 1000) }), null);
    // A password change elsewhere bumped the user's credential version (decision 602).
    await db.getDb().user.update({ where: { id: row.userId }, data: { credentialVersion: { increment: 1 } } });
    assert.equal(await store.rotateCurrentJti(input), null);
    await db.getDb().user.update({ where: { id: row.userId }, data: { credentialVersion: { decrement: 1 } } });
    await db.getDb().session.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    assert.equal(await store.rotateCurrentJti(input), null);
    assert.equal((await db.getDb().session.findUniqueOrThrow({ where: { id: row.id } })).currentJti, row.currentJti);
  });
});
