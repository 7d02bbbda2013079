// Issue 4 item 7: rotation loses nothing under concurrency, crashes and
// restarts, on both databases.
//
// - 20 refreshes with one token at once, spread over two instances on one
//   database (the hardest case for SQLite: two processes on one file).
// - A crash between the rotation's write and its response: the database has
//   the new token, the browser still holds the parent. Its retry, on a
//   restarted server within the grace, gets the current token.
// - A restart (SIGTERM or SIGKILL) keeps every session.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { registered, startServer, TEST_SECRET, type TestDatabase, type TestServer } from "../http/harness";
import type { TcpProxy } from "../db/tcp-proxy";
import { createDatabase, jtiReader, kill9, PROVIDERS, refreshJti, serverBehindProxy, skipFor, via } from "./faults-harness";

const ENV = { AUTH_SECRET: TEST_SECRET, AUTH_REFRESH_REUSE_GRACE: "30s" };

for (const provider of PROVIDERS) {
  describe(`rotation through faults on ${provider}`, { skip: skipFor(provider) }, () => {
    let database: TestDatabase;
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      database = await createDatabase(provider);
      [a, b] = await Promise.all([startServer(ENV, database), startServer(ENV, database)]);
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await database?.drop();
    });

    test("20 parallel refreshes with one token over two instances: no 5xx, one current token, session alive", async () => {
      const { client } = await registered(a.url);
      const parent = refreshJti(client);
      const copies = Array.from({ length: 20 }, (_, i) => via(client, i % 2 ? b.url : a.url));
      const results = await Promise.all(copies.map((c) => c.post("/api/auth/refresh")));
      for (const res of results) {
        assert.equal(res.status, 200, JSON.stringify(res.data));
      }
      const jtis = new Set(copies.map(refreshJti));
      assert.equal(jtis.size, 1, "every copy holds the one current token");
      assert.notEqual([...jtis][0], parent, "and it is a new one");
      assert.doesNotMatch(a.output() + b.output(), /database is locked|SQLITE_BUSY|internal_error|"level":50/);
      assert.equal((await copies[3].post("/api/auth/refresh")).status, 200, "the session goes on");
      assert.equal((await copies[3].get("/api/me")).status, 200);
    });

    test("a crash after the rotation's write, before its response: the retry on a restarted server gets the current token", async () => {
      const { client } = await registered(a.url);
      const parent = refreshJti(client);
      // The response is lost: the write happened, the browser never saw the new token.
      const lost = via(client, a.url);
      assert.equal((await lost.post("/api/auth/refresh")).status, 200);
      const written = refreshJti(lost);
      await kill9(a);
      a = await startServer(ENV, database);

      const retry = via(client, a.url);
      assert.equal(refreshJti(retry), parent, "the browser still holds the parent");
      const res = await retry.post("/api/auth/refresh");
      assert.equal(res.status, 200, JSON.stringify(res.data));
      assert.equal(refreshJti(retry), written, "the current token is re-issued, not a new child");
      assert.equal((await retry.get("/api/me")).status, 200);
      assert.equal((await retry.post("/api/auth/refresh")).status, 200, "and the chain goes on");
    });

    test("a restart keeps every session, after SIGTERM and after SIGKILL", async () => {
      const users = await Promise.all(Array.from({ length: 5 }, () => registered(b.url)));
      await users[0].client.post("/api/auth/refresh");
      for (const stop of [() => b.stop(), () => kill9(b)]) {
        await stop();
        b = await startServer(ENV, database);
        for (const { client } of users) {
          const onB = via(client, b.url);
          assert.equal((await onB.get("/api/me")).status, 200);
          assert.equal((await onB.post("/api/auth/refresh")).status, 200);
          for (const [name, cookie] of onB.cookies) client.cookies.set(name, cookie);
        }
      }
    });
  });
}

describe("a crash while the database has committed the rotation but the app has not heard back (PostgreSQL)", { skip: skipFor("postgresql") }, () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let database: TestDatabase;
  before(async () => {
    ({ database, proxy, server } = await serverBehindProxy(ENV));
  });
  after(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  test("kill -9 with the UPDATE committed and its reply in flight; the retry within the grace gets that token", async () => {
    const { client, session } = await registered(server.url);
    const parent = refreshJti(client);
    const jti = await jtiReader(database.url, session.id);
    try {
      await jti.signUpSettled();
      proxy.holdReplies();
      const inFlight = via(client, server.url).post("/api/auth/refresh").catch((error: Error) => error);
      const written = await jti.changedFrom(parent);
      assert.notEqual(written, parent, "the rotation reached the database");
      await kill9(server);
      assert.ok((await inFlight) instanceof Error, "the browser never got an answer");
      proxy.up();

      server = await startServer(ENV, { url: database.url, drop: async () => {} });
      const retry = via(client, server.url);
      const res = await retry.post("/api/auth/refresh");
      assert.equal(res.status, 200, JSON.stringify(res.data));
      assert.equal(refreshJti(retry), written, "the token the crashed server wrote is the one re-issued");
      assert.equal((await retry.get("/api/me")).status, 200);
    } finally {
      proxy.up();
      await jti.end();
    }
  });
});
