// Issue 10 item 12 — a login racing the account's deletion. The password was
// right when it was checked; by the time the session row is inserted the user
// is gone. SQLite reported the foreign-key failure as a 500; the answer must
// be what a login for an account that does not exist gets: 401
// invalid_credentials (on PostgreSQL as on SQLite).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, PASSWORD, registered, sleep, startServer, type TestServer } from "../http/harness";

let server: TestServer;
before(async () => {
  // cost 10: logins spend ~75 ms between the password check and the insert window.
  server = await startServer({ AUTH_BCRYPT_COST: "10" });
});
after(() => server?.stop());

test("logins in flight while the account is deleted answer 200 or 401 invalid_credentials, never 500", async () => {
  const statuses: number[] = [];
  for (let round = 0; round < 4; round++) {
    const owner = await registered(server.url);
    const logins = Array.from({ length: 12 }, (_, i) =>
      sleep(i * 10).then(() => new Client(server.url).post("/api/auth/login", { email: owner.email, password: PASSWORD })),
    );
    await sleep(40);
    assert.equal((await owner.client.delete("/api/account")).status, 204);
    for (const res of await Promise.all(logins)) {
      statuses.push(res.status);
      if (res.status !== 200) assert.equal(res.data?.error, "invalid_credentials", `${res.status} ${JSON.stringify(res.data)}`);
    }
  }
  assert.ok(statuses.every((s) => s === 200 || s === 401), statuses.join(","));
  assert.doesNotMatch(server.output(), /unhandled error/);
});
