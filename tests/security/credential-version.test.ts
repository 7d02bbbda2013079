// Issue 10 items 2 and 4 — a password change ends every sign-in made with the
// old password, including ones still in flight, and rotates this browser's
// own refresh token so a copy of its cookies taken before the change is dead.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, sleep, startServer, type TestServer } from "../http/harness";
import { assertError, copyOf } from "./helpers";

let server: TestServer;
before(async () => {
  // cost 10 (~75 ms a hash): long enough that logins started around the
  // change are still between their password check and their session insert
  // when the change commits.
  server = await startServer({ AUTH_BCRYPT_COST: "10" });
});
after(() => server?.stop());

const NEW_PASSWORD = "a brand new password, never used";

describe("sign-ins with the old password that overlap a password change", () => {
  test("none of their sessions survive the change (refresh → 401 token_revoked)", async () => {
    let survivors = 0;
    let signedIn = 0;
    // A few rounds: each has logins queued before, with and after the change.
    for (let round = 0; round < 3; round++) {
      const owner = await registered(server.url);
      const logins: Promise<{ client: Client; status: number }>[] = [];
      const start = (delay: number) =>
        logins.push(
          sleep(delay).then(async () => {
            const client = new Client(server.url);
            const res = await client.post("/api/auth/login", { email: owner.email, password: PASSWORD });
            return { client, status: res.status };
          }),
        );
      for (let i = 0; i < 4; i++) start(i * 15);
      const change = owner.client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      for (let i = 0; i < 10; i++) start(i * 25);
      assert.equal((await change).status, 204);
      for (const { client, status } of await Promise.all(logins)) {
        assert.ok(status === 200 || status === 401, `login ${status}`);
        if (status !== 200) continue;
        signedIn++;
        const refreshed = await client.post("/api/auth/refresh");
        const me = await client.get("/api/me");
        if (refreshed.status === 200 || me.status === 200) survivors++;
        else assertError(refreshed, 401, "token_revoked", "refresh of an old-password session");
      }
      // The changing session itself goes on.
      assert.equal((await owner.client.get("/api/me")).status, 200);
      assert.equal((await owner.client.post("/api/auth/refresh")).status, 200);
    }
    assert.ok(signedIn > 0, "some logins checked the old password before the change");
    assert.equal(survivors, 0, `${survivors} of ${signedIn} old-password sessions outlived the change`);
  });

  test("the new password signs in, and its session lives", async () => {
    const owner = await registered(server.url);
    assert.equal((await owner.client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status, 204);
    const client = new Client(server.url);
    assert.equal((await client.post("/api/auth/login", { email: owner.email, password: NEW_PASSWORD })).status, 200);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    assert.equal((await client.get("/api/me")).status, 200);
  });
});

describe("the changing browser's own tokens after a password change", () => {
  test("cookies copied before the change no longer refresh after it; the browser itself keeps working", async () => {
    const owner = await registered(server.url);
    const copy = copyOf(owner.client);
    const before = owner.client.cookie("refresh_token");
    const res = await owner.client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    assert.equal(res.status, 204);
    assert.notEqual(owner.client.cookie("refresh_token"), before, "a new refresh token was set");
    // The copied access token is superseded: token_expired, so a browser
    // refreshes; the copy's refresh token is what fails (below).
    assertError(await copy.get("/api/me"), 401, "token_expired", "copied access token");
    assertError(await copy.patch("/api/me", { name: "Thief" }), 401, "token_expired", "copied access token, a write");
    // The changing browser goes on with its new tokens, and its CSRF value.
    assert.equal((await owner.client.get("/api/me")).status, 200);
    assert.equal((await owner.client.patch("/api/me", { name: "Still here" })).status, 200, "CSRF value still valid");
    assert.equal((await owner.client.post("/api/auth/refresh")).status, 200);
    // No grace for the old refresh token: it predates the change, so it is a
    // superseded token like any other, and presenting it is reuse (decision 602).
    assertError(await copy.post("/api/auth/refresh"), 401, "token_revoked", "copied refresh token");
    assertError(await owner.client.get("/api/me"), 401, "token_revoked", "reuse ends the family, as for any superseded token");
  });

  test("the refresh token from before the change is refused even within the reuse grace", async () => {
    const owner = await registered(server.url);
    const copy = copyOf(owner.client);
    assert.equal((await owner.client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status, 204);
    // Immediately, well inside AUTH_REFRESH_REUSE_GRACE (10 s).
    assertError(await copy.post("/api/auth/refresh"), 401, "token_revoked", "copied refresh token");
  });

  test("fresh-login keeps the refresh token (the contract), and the session goes on", async () => {
    const owner = await registered(server.url);
    const before = owner.client.cookie("refresh_token");
    assert.equal((await owner.client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
    assert.equal(owner.client.cookie("refresh_token"), before);
    assert.equal((await owner.client.post("/api/auth/refresh")).status, 200);
  });
});
