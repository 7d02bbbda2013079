// Every row of DESIGN.md's passkey table against the real server and a real
// database, with a software authenticator making the browser's responses.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, type TestServer } from "./harness";
import { enableTotp, enroll, passkeyConfirm, passkeySignIn, SoftAuthenticator } from "./passkey-kit";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

/** A registered (fresh) user with one passkey. */
async function withPasskey(name = "Laptop") {
  const account = await registered(server.url);
  const { authenticator, added } = await enroll(account.client, account.user.id, { name });
  assert.equal(added.status, 201, JSON.stringify(added.data));
  return { ...account, authenticator, passkey: added.data.passkey };
}

/** Drops freshness the way time does: a refresh issues a NON-fresh access token. */
async function stale(client: Client) {
  assert.equal((await client.post("/api/auth/refresh")).status, 200);
}

describe("POST /api/account/passkeys/options", () => {
  test("200 creation options: resident key and user verification required, RP ID = the request's host", async () => {
    const { client, user, email } = await registered(server.url);
    const res = await client.post("/api/account/passkeys/options");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.data.rp.id, new URL(server.url).hostname);
    assert.equal(res.data.user.name, email);
    assert.equal(Buffer.from(res.data.user.id, "base64url").toString(), user.id);
    assert.equal(res.data.authenticatorSelection.residentKey, "required");
    assert.equal(res.data.authenticatorSelection.userVerification, "required");
    assert.ok(Buffer.from(res.data.challenge, "base64url").length >= 32, "a 256-bit challenge");
    assert.ok(res.data.pubKeyCredParams.some((p: { alg: number }) => p.alg === -7), "ES256 offered");
  });

  test("needs a fresh token; the refusal says which proofs the account can give", async () => {
    const { client, authenticator } = await withPasskey();
    await stale(client);
    const res = await client.post("/api/account/passkeys/options");
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "fresh_token_required");
    assert.deepEqual(res.data.methods, ["password", "passkey"]);
    assert.equal((await passkeyConfirm(client, authenticator)).confirmed.status, 200);
    assert.equal((await client.post("/api/account/passkeys/options")).status, 200);
  });

  test("excludes the account's passkeys, so one authenticator is not registered twice", async () => {
    const { client, authenticator } = await withPasskey();
    const res = await client.post("/api/account/passkeys/options");
    assert.deepEqual(res.data.excludeCredentials.map((c: { id: string }) => c.id), [authenticator.id]);
  });
});

describe("POST /api/account/passkeys", () => {
  test("201 {passkey} with its name and times, and it is listed", async () => {
    const { client, passkey } = await withPasskey("Work laptop");
    assert.deepEqual(Object.keys(passkey).sort(), ["createdAt", "id", "lastUsedAt", "name"]);
    assert.equal(passkey.name, "Work laptop");
    assert.equal(passkey.lastUsedAt, null);
    const list = await client.get("/api/account/passkeys");
    assert.deepEqual(list.data.passkeys, [passkey]);
  });

  test("a response for another origin, another RP ID or without user verification is 400 and stores nothing", async () => {
    const { client, user } = await registered(server.url);
    for (const forge of [
      (c: object) => ({ ...c, origin: "https://phish.example" }),
      (c: object) => ({ ...c, rpId: "phish.example" }),
      (c: object) => ({ ...c, userVerified: false }),
    ]) {
      const { added } = await enroll(client, user.id, { forge: forge as never });
      assert.equal(added.status, 400, JSON.stringify(added.data));
      assert.equal(added.data.error, "invalid_request");
      assert.ok(added.data.fields.response);
    }
    assert.deepEqual((await client.get("/api/account/passkeys")).data.passkeys, []);
  });

  test("the challenge is single-use: the same response twice is 400 the second time", async () => {
    const { client, user } = await registered(server.url);
    const options = await client.post("/api/account/passkeys/options");
    const response = new SoftAuthenticator(user.id).register({ challenge: options.data.challenge, origin: server.url, rpId: options.data.rp.id });
    assert.equal((await client.post("/api/account/passkeys", { response })).status, 201);
    const again = await client.post("/api/account/passkeys", { response });
    assert.equal(again.status, 400);
  });

  test("the challenge is bound to the session that asked: another session of the same user cannot use it", async () => {
    const { client, user, email } = await registered(server.url);
    const laptop = new Client(server.url);
    assert.equal((await laptop.post("/api/auth/login", { email, password: PASSWORD })).status, 200);
    const options = await client.post("/api/account/passkeys/options");
    const response = new SoftAuthenticator(user.id).register({ challenge: options.data.challenge, origin: server.url, rpId: options.data.rp.id });
    assert.equal((await laptop.post("/api/account/passkeys", { response })).status, 400);
  });

  test("needs a fresh token", async () => {
    const { client, user } = await registered(server.url);
    const options = await client.post("/api/account/passkeys/options");
    const response = new SoftAuthenticator(user.id).register({ challenge: options.data.challenge, origin: server.url, rpId: options.data.rp.id });
    await stale(client);
    const res = await client.post("/api/account/passkeys", { response });
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "fresh_token_required");
  });

  test("a malformed body is 400 invalid_request naming the field", async () => {
    const { client } = await registered(server.url);
    for (const body of [{}, { response: "x" }, { response: { id: "a", rawId: "a", type: "public-key" } }, { response: {}, extra: 1 }]) {
      const res = await client.post("/api/account/passkeys", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.data.error, "invalid_request");
    }
  });
});

describe("GET /api/account/passkeys", () => {
  test("200 {passkeys:[{id,name,createdAt,lastUsedAt}]}: this account's only, oldest first, no key material", async () => {
    const { client, user } = await withPasskey("First");
    await enroll(client, user.id, { name: "Second" });
    await withPasskey("Someone else's");
    const res = await client.get("/api/account/passkeys");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.deepEqual(res.data.passkeys.map((p: { name: string }) => p.name), ["First", "Second"]);
    for (const p of res.data.passkeys) assert.deepEqual(Object.keys(p).sort(), ["createdAt", "id", "lastUsedAt", "name"]);
  });

  test("lastUsedAt is set by a sign-in with the passkey", async () => {
    const { authenticator } = await withPasskey();
    const { client } = await passkeySignIn(server.url, authenticator);
    const [passkey] = (await client.get("/api/account/passkeys")).data.passkeys;
    assert.ok(Date.parse(passkey.lastUsedAt) > Date.now() - 60_000);
  });

  test("needs a session", async () => {
    const res = await new Client(server.url).get("/api/account/passkeys");
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "authorization_required");
  });
});

describe("PATCH /api/account/passkeys/{id}", () => {
  test("200 {passkey} renamed (trimmed), no fresh token needed", async () => {
    const { client, passkey } = await withPasskey();
    await stale(client);
    const res = await client.patch(`/api/account/passkeys/${passkey.id}`, { name: "  Phone  " });
    assert.equal(res.status, 200);
    assert.deepEqual(res.data.passkey, { ...passkey, name: "Phone" });
  });

  test("another account's passkey or an unknown id is 404; an empty or long name is 400", async () => {
    const { client, passkey } = await withPasskey();
    const other = await registered(server.url);
    assert.equal((await other.client.patch(`/api/account/passkeys/${passkey.id}`, { name: "Mine now" })).status, 404);
    assert.equal((await client.patch("/api/account/passkeys/nope", { name: "x" })).status, 404);
    for (const name of ["", "   ", "x".repeat(65)]) {
      const res = await client.patch(`/api/account/passkeys/${passkey.id}`, { name });
      assert.equal(res.status, 400, JSON.stringify(name));
      assert.ok(res.data.fields.name);
    }
  });
});

describe("DELETE /api/account/passkeys/{id}", () => {
  test("204 with a fresh token; the passkey no longer signs in", async () => {
    const { client, passkey, authenticator } = await withPasskey();
    const res = await client.delete(`/api/account/passkeys/${passkey.id}`);
    assert.equal(res.status, 204);
    assert.deepEqual((await client.get("/api/account/passkeys")).data.passkeys, []);
    const { login } = await passkeySignIn(server.url, authenticator);
    assert.equal(login.status, 401);
    assert.equal(login.data.error, "invalid_credentials");
  });

  test("needs a fresh token; another account's passkey is 404", async () => {
    const { client, passkey } = await withPasskey();
    const other = await registered(server.url);
    assert.equal((await other.client.delete(`/api/account/passkeys/${passkey.id}`)).status, 404);
    await stale(client);
    const res = await client.delete(`/api/account/passkeys/${passkey.id}`);
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "fresh_token_required");
    assert.equal(res.data.level, "any");
  });

  test("the LAST passkey of an account with an authenticator app needs level multi_factor: a password alone is not enough", async () => {
    const { client, user, passkey, authenticator } = await withPasskey();
    await enableTotp(server.databaseUrl, user.id);
    await stale(client);
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
    const refused = await client.delete(`/api/account/passkeys/${passkey.id}`);
    assert.equal(refused.status, 401);
    assert.equal(refused.data.error, "fresh_token_required");
    assert.equal(refused.data.level, "multi_factor");
    assert.deepEqual(refused.data.methods, ["password", "passkey", "totp"]);
    assert.equal((await passkeyConfirm(client, authenticator)).confirmed.status, 200);
    assert.equal((await client.delete(`/api/account/passkeys/${passkey.id}`)).status, 204);
  });

  test("not the last one: a fresh password check is enough, even with an authenticator app", async () => {
    const { client, user, passkey } = await withPasskey();
    await enroll(client, user.id, { name: "Spare" });
    await enableTotp(server.databaseUrl, user.id);
    await stale(client);
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
    assert.equal((await client.delete(`/api/account/passkeys/${passkey.id}`)).status, 204);
  });
});

describe("CSRF and same-origin on every unsafe passkey route", () => {
  test("no X-CSRF-Token → 403; a cross-site Origin → 403", async () => {
    const { client, passkey } = await withPasskey();
    const calls: [string, string, unknown][] = [
      ["POST", "/api/account/passkeys/options", undefined],
      ["POST", "/api/account/passkeys", { response: {} }],
      ["PATCH", `/api/account/passkeys/${passkey.id}`, { name: "x" }],
      ["DELETE", `/api/account/passkeys/${passkey.id}`, undefined],
      ["POST", "/api/auth/fresh-login/options", undefined],
    ];
    for (const [method, path, json] of calls) {
      const noToken = await client.request(method, path, { json, headers: { "x-csrf-token": "" } });
      assert.equal(noToken.status, 403, `${method} ${path} without token`);
      assert.equal(noToken.data.error, "csrf_failed");
      const crossSite = await client.request(method, path, { json, headers: { origin: "https://evil.example" } });
      assert.equal(crossSite.status, 403, `${method} ${path} cross-site`);
    }
    for (const path of ["/api/auth/passkey/options", "/api/auth/passkey/login"]) {
      const res = await new Client(server.url, { origin: "https://evil.example" }).post(path, path.endsWith("login") ? { response: {} } : undefined);
      assert.equal(res.status, 403, path);
      assert.equal(res.data.error, "csrf_failed");
    }
    assert.equal((await client.get("/api/account/passkeys")).data.passkeys.length, 1, "nothing was removed");
  });

  test("GET on the POST-only routes is 405", async () => {
    for (const path of ["/api/account/passkeys/options", "/api/auth/passkey/options", "/api/auth/passkey/login", "/api/auth/fresh-login/options"]) {
      assert.equal((await new Client(server.url).get(path)).status, 405, path);
    }
  });
});

describe("POST /api/auth/passkey/options", () => {
  test("200 request options for a discoverable credential, and an httpOnly, Strict challenge cookie under /api/auth for 5 minutes", async () => {
    const client = new Client(server.url);
    const res = await client.post("/api/auth/passkey/options");
    assert.equal(res.status, 200);
    assert.equal(res.data.rpId, new URL(server.url).hostname);
    assert.equal(res.data.userVerification, "required");
    assert.deepEqual(res.data.allowCredentials ?? [], [], "names no account");
    const cookie = client.setCookieLine("webauthn_challenge")!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\/api\/auth(;|$)/);
    assert.match(cookie, /Max-Age=300/);
    assert.equal(JSON.stringify(res.data).includes(client.cookie("webauthn_challenge")!), false, "the cookie's row id is not the challenge");
  });
});

describe("POST /api/auth/passkey/login", () => {
  test("200 {user,session}: a new session, fresh, methods [passkey]; no password typed", async () => {
    const { authenticator, user, session } = await withPasskey();
    const { login, client } = await passkeySignIn(server.url, authenticator);
    assert.equal(login.status, 200, JSON.stringify(login.data));
    assert.deepEqual(login.data.user, user);
    assert.notEqual(login.data.session.id, session.id, "a new session");
    assert.equal(login.data.session.fresh, true);
    assert.deepEqual(login.data.session.methods, ["passkey"]);
    assert.ok(client.cookie("access_token") && client.cookie("refresh_token") && client.cookie("csrf_token"));
    assert.equal(client.cookie("webauthn_challenge"), undefined, "the spent challenge's cookie is cleared");
    const me = await client.get("/api/me");
    assert.deepEqual(me.data.session.methods, ["passkey"]);
    // Fresh enough to delete the account, a password never typed.
    assert.equal((await client.delete("/api/account")).status, 204);
  });

  test("after a password change (a new credential version) the passkey still signs in, and the session lives", async () => {
    const { client, authenticator } = await withPasskey();
    assert.equal((await client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "a brand new passphrase" })).status, 204);
    const { login, client: browser } = await passkeySignIn(server.url, authenticator);
    assert.equal(login.status, 200);
    assert.equal((await browser.get("/api/me")).status, 200, "born with the current credential version, not refused");
    assert.equal((await browser.post("/api/auth/refresh")).status, 200);
  });

  test("a refresh keeps methods [passkey] and drops freshness", async () => {
    const { authenticator } = await withPasskey();
    const { client } = await passkeySignIn(server.url, authenticator);
    const refreshed = await client.post("/api/auth/refresh");
    assert.equal(refreshed.data.session.fresh, false);
    assert.deepEqual(refreshed.data.session.methods, ["passkey"]);
  });

  const refusals: [string, (c: { challenge: string; origin: string; rpId: string }) => object][] = [
    ["another origin (a phishing page relaying the challenge)", (c) => ({ ...c, origin: "https://phish.example" })],
    ["another RP ID", (c) => ({ ...c, rpId: "phish.example" })],
    ["another challenge", (c) => ({ ...c, challenge: Buffer.from("x".repeat(32)).toString("base64url") })],
    ["no user verification", (c) => ({ ...c, userVerified: false })],
  ];
  for (const [label, forge] of refusals) {
    test(`401 invalid_credentials: ${label}`, async () => {
      const { authenticator } = await withPasskey();
      const { login, client } = await passkeySignIn(server.url, authenticator, forge as never);
      assert.equal(login.status, 401);
      assert.equal(login.data.error, "invalid_credentials");
      assert.equal(client.cookie("access_token"), undefined);
    });
  }

  test("401: the same response replayed (the challenge was spent)", async () => {
    const { authenticator } = await withPasskey();
    const { client, response, login } = await passkeySignIn(server.url, authenticator);
    assert.equal(login.status, 200);
    const replay = await new Client(server.url).post("/api/auth/passkey/login", { response }, { headers: { cookie: "" } });
    assert.equal(replay.status, 401);
    const again = await client.post("/api/auth/passkey/login", { response });
    assert.equal(again.status, 401);
    assert.equal(again.data.error, "invalid_credentials");
  });

  test("401: a response made in another browser (no challenge cookie of its own)", async () => {
    const { authenticator } = await withPasskey();
    const victim = new Client(server.url);
    const options = await victim.post("/api/auth/passkey/options");
    const response = authenticator.assert({ challenge: options.data.challenge, origin: server.url, rpId: options.data.rpId });
    const attacker = new Client(server.url);
    await attacker.post("/api/auth/passkey/options"); // a cookie of its own, naming another challenge
    assert.equal((await attacker.post("/api/auth/passkey/login", { response })).status, 401);
    assert.equal((await new Client(server.url).post("/api/auth/passkey/login", { response })).status, 401);
  });

  test("401: a counter that went backwards (a cloned authenticator)", async () => {
    const { authenticator } = await withPasskey();
    assert.equal((await passkeySignIn(server.url, authenticator, (c) => ({ ...c, counter: 10 }))).login.status, 200);
    const { login } = await passkeySignIn(server.url, authenticator, (c) => ({ ...c, counter: 9 }));
    assert.equal(login.status, 401);
    assert.equal(login.data.error, "invalid_credentials");
  });

  test("401: an unknown credential, with the same body as any other failure", async () => {
    const { login } = await passkeySignIn(server.url, new SoftAuthenticator("nobody"));
    assert.equal(login.status, 401);
    assert.deepEqual(login.data, { error: "invalid_credentials", description: "The e-mail or password is incorrect." });
    assert.equal(login.headers.get("www-authenticate"), 'Bearer error="invalid_credentials"');
  });

  test("400 on a malformed body", async () => {
    const client = new Client(server.url);
    await client.post("/api/auth/passkey/options");
    for (const body of [{}, { response: null }, { response: { id: "a" } }, { response: {}, email: "x" }]) {
      const res = await client.post("/api/auth/passkey/login", body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });
});

describe("POST /api/auth/fresh-login/options and fresh-login {passkey}", () => {
  test("options list only this account's passkeys; the assertion makes the SAME session fresh with methods [passkey]", async () => {
    const { client, authenticator, session } = await withPasskey();
    await withPasskey("someone else");
    await stale(client);
    const refreshCookie = client.cookie("refresh_token");
    const { options, confirmed } = await passkeyConfirm(client, authenticator);
    assert.deepEqual(options.data.allowCredentials.map((c: { id: string }) => c.id), [authenticator.id]);
    assert.equal(options.data.userVerification, "required");
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.data));
    assert.equal(confirmed.data.session.id, session.id, "same session");
    assert.equal(confirmed.data.session.fresh, true);
    assert.deepEqual(confirmed.data.session.methods, ["passkey"]);
    assert.equal(client.cookie("refresh_token"), refreshCookie, "refresh token untouched");
    assert.equal((await client.delete("/api/account")).status, 204, "the fresh token does what it is for");
  });

  test("works with only the refresh cookie (an expired or missing access token)", async () => {
    const { client, authenticator } = await withPasskey();
    client.cookies.delete("access_token");
    const { confirmed } = await passkeyConfirm(client, authenticator);
    assert.equal(confirmed.status, 200);
  });

  test("options need a session: 401 without cookies", async () => {
    const res = await new Client(server.url).post("/api/auth/fresh-login/options");
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "authorization_required");
  });

  test("401 invalid_credentials: another account's passkey, a sign-in challenge, a forged origin, a replay", async () => {
    const { client, authenticator } = await withPasskey();
    const other = await withPasskey("other");
    assert.equal((await passkeyConfirm(client, other.authenticator)).confirmed.status, 401);
    // A challenge asked for a sign-in does not confirm a session.
    await client.post("/api/auth/passkey/options").then(async (options) => {
      const passkey = authenticator.assert({ challenge: options.data.challenge, origin: server.url, rpId: options.data.rpId });
      assert.equal((await client.post("/api/auth/fresh-login", { passkey })).status, 401);
    });
    assert.equal((await passkeyConfirm(client, authenticator, (c) => ({ ...c, origin: "https://phish.example" }))).confirmed.status, 401);
    const { passkey, confirmed } = await passkeyConfirm(client, authenticator);
    assert.equal(confirmed.status, 200);
    const replay = await client.post("/api/auth/fresh-login", { passkey });
    assert.equal(replay.status, 401);
    assert.equal(replay.data.error, "invalid_credentials");
  });

  test("the body is one proof: {password} or {passkey}, never both, never neither", async () => {
    const { client } = await withPasskey();
    for (const body of [{}, { password: PASSWORD, passkey: {} }, { passkey: "x" }, { passkey: {} }]) {
      const res = await client.post("/api/auth/fresh-login", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.data.error, "invalid_request");
    }
    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
  });
});
