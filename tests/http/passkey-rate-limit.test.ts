// A failed or replayed assertion counts like a wrong password: against the
// address at sign-in, against the session's own budget (and the account) in
// "Confirm it's you".
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, type TestServer } from "./harness";
import { enroll, passkeyConfirm, passkeySignIn, SoftAuthenticator } from "./passkey-kit";

let server: TestServer;
before(async () => {
  server = await startServer({ AUTH_RATE_LIMIT_ACCOUNT: "3/1m", AUTH_RATE_LIMIT_ADDRESS: "3/1m", AUTH_TRUST_PROXY: "1" });
});
after(() => server?.stop());

/** Each test speaks from an address of its own (AUTH_TRUST_PROXY=1), so their budgets never mix. */
function clientAt(address: string): Client {
  const client = new Client(server.url);
  const request = client.request.bind(client);
  client.request = (method, path, init = {}) => request(method, path, { ...init, headers: { "x-forwarded-for": address, ...init.headers } });
  return client;
}

let next = 1;
const newAddress = () => `198.51.100.${next++}`;
const misdirected = (c: object) => ({ ...c, origin: "https://phish.example" });

describe("passkey sign-in and the address limit", () => {
  test("failed assertions count: after 3, even a genuine passkey waits, with Retry-After", async () => {
    const owner = await registered(server.url);
    const { authenticator } = await enroll(owner.client, owner.user.id);
    const address = newAddress();
    for (let i = 0; i < 3; i++) {
      const { login } = await passkeySignIn(server.url, authenticator, misdirected as never, clientAt(address));
      assert.equal(login.status, 401, `attempt ${i + 1}`);
      assert.equal(login.headers.get("ratelimit-remaining"), null, "no counter for anonymous sign-ins");
    }
    const { login } = await passkeySignIn(server.url, authenticator, undefined, clientAt(address));
    assert.equal(login.status, 429);
    assert.equal(login.headers.get("ratelimit-remaining"), null, "an anonymous guesser is told nothing");
    assert.equal(login.data.error, "rate_limited");
    const retryAfter = Number(login.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    // Another address is not affected.
    assert.equal((await passkeySignIn(server.url, authenticator, undefined, clientAt(newAddress()))).login.status, 200);
  });

  test("a replayed assertion and an unknown credential count too, together with wrong passwords", async () => {
    const owner = await registered(server.url);
    const { authenticator } = await enroll(owner.client, owner.user.id);
    const address = newAddress();
    const client = clientAt(address);
    const { response } = await passkeySignIn(server.url, authenticator, undefined, client);
    assert.equal((await client.post("/api/auth/passkey/login", { response })).status, 401, "replay");
    assert.equal((await passkeySignIn(server.url, new SoftAuthenticator("x"), undefined, client)).login.status, 401, "unknown credential");
    assert.equal((await client.post("/api/auth/login", { email: "ghost@example.com", password: "wrong password" })).status, 401);
    assert.equal((await passkeySignIn(server.url, authenticator, undefined, client)).login.status, 429);
  });

  test("successes never count", async () => {
    const owner = await registered(server.url);
    const { authenticator } = await enroll(owner.client, owner.user.id);
    const client = clientAt(newAddress());
    for (let i = 0; i < 5; i++) assert.equal((await passkeySignIn(server.url, authenticator, undefined, client)).login.status, 200);
  });
});

describe("fresh-login with a passkey and the session's budget", () => {
  test("3 failures (passkey or password) and the dialog waits, with Retry-After", async () => {
    const owner = await registered(server.url);
    const { authenticator } = await enroll(owner.client, owner.user.id);
    const client = owner.client;
    // Each refusal says how many failures the session's budget has left, so the dialog can warn.
    const first = (await passkeyConfirm(client, authenticator, misdirected as never)).confirmed;
    assert.equal(first.status, 401);
    assert.equal(first.headers.get("ratelimit-remaining"), "2");
    const second = await client.post("/api/auth/fresh-login", { password: "not my password" });
    assert.equal(second.status, 401);
    assert.equal(second.headers.get("ratelimit-remaining"), "1");
    const third = (await passkeyConfirm(client, authenticator, misdirected as never)).confirmed;
    assert.equal(third.status, 401);
    assert.equal(third.headers.get("ratelimit-remaining"), "0");
    const { confirmed } = await passkeyConfirm(client, authenticator);
    assert.equal(confirmed.status, 429);
    assert.ok(Number(confirmed.headers.get("retry-after")) > 0);
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 429, "the password waits too");
  });
});
