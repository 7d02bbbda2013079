import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, createTestDatabase, type TestDatabase, type TestServer } from "./harness";

// Two production servers on ONE database, as behind a load balancer. On
// PostgreSQL this is the scaling story; on SQLite it is two processes on one
// file (WAL), which must behave the same. They start together on an empty
// database, as a deploy starts them, so both race to migrate it.
let database: TestDatabase;
let a: TestServer;
let b: TestServer;
before(async () => {
  database = await createTestDatabase();
  const env = { AUTH_RATE_LIMIT_ACCOUNT: "4/1m" };
  [a, b] = await Promise.all([startServer(env, database), startServer(env, database)]);
});
after(async () => {
  await a?.stop();
  await b?.stop();
  await database?.drop();
});

/** The same browser talking to the other instance (same cookies). */
function via(client: Client, server: TestServer): Client {
  const other = new Client(server.url);
  for (const [name, cookie] of client.cookies) other.cookies.set(name, cookie);
  return other;
}

describe("two app instances on one database", () => {
  test("started together, one applies the migrations and the other finds them applied", () => {
    // scripts/migrate.mjs logs "migrate: applied <name>" per migration, or one
    // "up to date" line when it had nothing to do. Its lock makes the loser wait
    // for the winner; without it both would apply, and the second would fail.
    const logs = [a, b].map((server) => server.output());
    const applied = logs.map((log) => /migrate: applied \d+_\w+/.test(log));
    const upToDate = logs.map((log) => /migrate: \w+ database is up to date/.test(log));
    assert.deepEqual(applied.filter(Boolean).length, 1, logs.join("\n---\n"));
    assert.deepEqual(upToDate, applied.map((x) => !x), logs.join("\n---\n"));
  });

  test("a session made on A works on B, and a refresh on A is honoured by B", async () => {
    const { client } = await registered(a.url);
    assert.equal((await via(client, b).get("/api/me")).status, 200);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    const onB = via(client, b);
    assert.equal((await onB.post("/api/auth/refresh")).status, 200, "B rotates the token A issued");
    assert.equal((await onB.get("/api/me")).status, 200);
  });

  test("logout on A is enforced by B on the very next request", async () => {
    const { client } = await registered(a.url);
    const onB = via(client, b);
    assert.equal((await client.post("/api/auth/logout")).status, 204);
    const res = await onB.get("/api/me");
    assert.equal(res.data.error, "token_revoked");
  });

  test("a password change on A signs the other sessions out on B", async () => {
    const { client, email } = await registered(a.url);
    const laptop = new Client(b.url);
    assert.equal((await laptop.post("/api/auth/login", { email, password: PASSWORD })).status, 200);
    assert.equal((await client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "another good password" })).status, 204);
    assert.equal((await laptop.get("/api/me")).data.error, "token_revoked");
  });

  test("account deletion on B is enforced by A", async () => {
    const { client } = await registered(a.url);
    const onB = via(client, b);
    assert.equal((await onB.delete("/api/account")).status, 204);
    assert.equal((await client.get("/api/me")).data.error, "token_revoked");
  });

  test("rate limits are shared: failures on A and B add up", async () => {
    const { email } = await registered(a.url);
    for (const server of [a, b, a, b]) {
      assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: "wrong password" })).status, 401);
    }
    for (const server of [a, b]) {
      const res = await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD });
      assert.equal(res.status, 429, "the counters live in the shared database");
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
    }
  });
});
