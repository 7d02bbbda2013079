// Issue 4 item 7, the case the grace window alone would get wrong: a refresh
// whose statement is delayed on its way to PostgreSQL (a stalled connection)
// and commits after the app has already answered 503. The browser kept the
// parent token and presents it again. The grace is measured from rotatedAt,
// so rotatedAt must be the moment of the commit (the database's clock,
// lib/db.ts sqlNow), not the moment the app sent the statement: otherwise the
// retry of an honest browser looks like token reuse and ends its session.
//
// The grace here is 2 s and the statement is held for 3 s, so a stamp taken
// by the app before sending is always past the grace by the time of the retry.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { registered, sleep, type TestDatabase, type TestServer } from "../http/harness";
import type { TcpProxy } from "../db/tcp-proxy";
import { jtiReader, refreshJti, serverBehindProxy, skipFor } from "./faults-harness";

const GRACE_S = 2;
const ENV = { DATABASE_TIMEOUT: "1s", DATABASE_POOL_SIZE: "2", AUTH_REFRESH_REUSE_GRACE: `${GRACE_S}s` };

describe("a rotation that commits late on PostgreSQL", { skip: skipFor("postgresql") }, () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  before(async () => {
    ({ database, proxy, server } = await serverBehindProxy(ENV));
  });
  after(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  test("is stamped when it commits, so the browser's retry within the grace is not reuse", async () => {
    const { client, session } = await registered(server.url);
    const parent = refreshJti(client);
    const jti = await jtiReader(database.url, session.id);
    try {
      await jti.signUpSettled();
      proxy.stall();
      const sent = Date.now();
      const stalled = await client.post("/api/auth/refresh");
      assert.equal(stalled.status, 503, "the app gave up on the stalled database");
      assert.equal(refreshJti(client), parent, "the browser still holds the parent");
      await sleep(GRACE_S * 1000 + 1000 - (Date.now() - sent));
      proxy.up();
      const written = await jti.changedFrom(parent);
      assert.notEqual(written, parent, "the held statement reached the database and rotated");

      const retry = await client.post("/api/auth/refresh");
      assert.equal(retry.status, 200, `the retry of the parent is within the grace of the commit: ${JSON.stringify(retry.data)}`);
      assert.equal(refreshJti(client), written, "it gets the token the late commit wrote");
      assert.equal((await client.get("/api/me")).status, 200, "the session is alive");
    } finally {
      proxy.up();
      await jti.end();
    }
  });
});
