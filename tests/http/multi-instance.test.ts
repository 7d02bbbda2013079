import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, createTestDatabase, type TestDatabase, type TestServer } from "./harness";

// Two production servers on ONE database, as behind a load balancer. On
// PostgreSQL this is the scaling story; on SQLite it is two processes on one
// file (WAL), which must behave the same.
let database: TestDatabase;
let a: TestServer;
let b: TestServer;
before(async () => {
  database = await createTestDatabase();
  a = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "4/1m" }, database);
  b = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "4/1m" }, database);
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
