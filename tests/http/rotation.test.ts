import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, registered, sleep, startServer, type TestServer } from "./harness";

// A 2-second access life and a 2-second reuse grace make expiry and the grace
// observable in a test run.
let server: TestServer;
before(async () => {
  server = await startServer({ AUTH_ACCESS_TTL: "2s", AUTH_REFRESH_REUSE_GRACE: "2s" });
});
after(() => server?.stop());

/** A second client holding a copy of the first one's cookies (a thief, or another tab). */
function copyOf(client: Client): Client {
  const copy = new Client(client.base);
  for (const [name, cookie] of client.cookies) copy.cookies.set(name, { ...cookie });
  return copy;
}

describe("access token expiry", () => {
  test("an expired access token gets token_expired, and a refresh brings the user back", async () => {
    const { client } = await registered(server.url);
    assert.equal((await client.get("/api/me")).status, 200);
    await sleep(2300);
    const expired = await client.get("/api/me");
    assert.equal(expired.status, 401);
    assert.equal(expired.data.error, "token_expired");
    assert.equal(expired.headers.get("www-authenticate"), 'Bearer error="token_expired"');
    assert.ok(client.cookie("access_token"), "the expired cookie still reaches the server (cookie lives as long as the session)");
    const refreshed = await client.post("/api/auth/refresh");
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.data.session.fresh, false);
    const me = await client.get("/api/me");
    assert.equal(me.status, 200);
    assert.equal(me.data.session.fresh, false);
  });
});

describe("refresh-token rotation", () => {
  test("every refresh rotates the refresh token", async () => {
    const { client } = await registered(server.url);
    const first = client.cookie("refresh_token");
    await client.post("/api/auth/refresh");
    const second = client.cookie("refresh_token");
    assert.notEqual(first, second);
    await client.post("/api/auth/refresh");
    assert.notEqual(client.cookie("refresh_token"), second);
  });

  test("the parent within the grace gets the CURRENT token re-issued, not a new child", async () => {
    const { client } = await registered(server.url);
    const late = copyOf(client); // e.g. a response that was lost
    const rotated = await client.post("/api/auth/refresh");
    assert.equal(rotated.status, 200);
    const retry = await late.post("/api/auth/refresh");
    assert.equal(retry.status, 200, "a lost response or a second tab is not an attack");
    // Both now hold the same current token: either can go on refreshing.
    const payload = (t: string) => JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString());
    assert.equal(payload(late.cookie("refresh_token")!).jti, payload(client.cookie("refresh_token")!).jti);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    assert.equal((await client.get("/api/me")).status, 200);
  });

  test("the parent after the grace revokes the whole session (thief and victim)", async () => {
    const { client } = await registered(server.url);
    const thief = copyOf(client);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    await sleep(2300);
    const replay = await thief.post("/api/auth/refresh");
    assert.equal(replay.status, 401);
    assert.equal(replay.data.error, "token_revoked");
    assert.equal(thief.cookies.size, 0, "a refused refresh clears the cookies");
    const victim = await client.post("/api/auth/refresh");
    assert.equal(victim.status, 401);
    assert.equal(victim.data.error, "token_revoked");
    assert.equal((await copyOf(client).get("/api/me")).status, 401);
  });

  test("an older token (grandparent) revokes the session at once, even within the grace", async () => {
    const { client } = await registered(server.url);
    const grandparent = copyOf(client);
    await client.post("/api/auth/refresh");
    await client.post("/api/auth/refresh");
    const replay = await grandparent.post("/api/auth/refresh");
    assert.equal(replay.status, 401);
    assert.equal(replay.data.error, "token_revoked");
    const me = await client.get("/api/me");
    assert.equal(me.status, 401);
    assert.equal(me.data.error, "token_revoked", "access tokens of the revoked session die with it");
  });

  test("20 parallel refreshes with one token: no 5xx, one current token, session alive", async () => {
    const { client } = await registered(server.url);
    const copies = Array.from({ length: 20 }, () => copyOf(client));
    const results = await Promise.all(copies.map((c) => c.post("/api/auth/refresh")));
    assert.deepEqual(results.map((r) => r.status), Array(20).fill(200));
    const jtis = new Set(copies.map((c) => JSON.parse(Buffer.from(c.cookie("refresh_token")!.split(".")[1], "base64url").toString()).jti));
    assert.equal(jtis.size, 1, "all copies converge on one current token");
    assert.equal((await copies[7].post("/api/auth/refresh")).status, 200);
  });

  test("refresh without a refresh cookie: authorization_required; with an access token in its place: invalid_token", async () => {
    const none = await new Client(server.url).post("/api/auth/refresh");
    assert.equal(none.status, 401);
    assert.equal(none.data.error, "authorization_required");
    const { client } = await registered(server.url);
    const confused = await new Client(server.url).post("/api/auth/refresh", undefined, {
      headers: { cookie: `refresh_token=${client.cookie("access_token")}`, "x-csrf-token": client.cookie("csrf_token")! },
    });
    assert.equal(confused.status, 401);
    assert.equal(confused.data.error, "invalid_token");
  });
});

describe("freshness", () => {
  test("fresh-login with an expired access token and no refresh cookie still works (password is the proof)", async () => {
    const { client, password } = await registered(server.url);
    await sleep(2300);
    const onlyAccess = new Client(server.url);
    onlyAccess.cookies.set("access_token", { ...client.cookies.get("access_token")! });
    onlyAccess.cookies.set("csrf_token", { ...client.cookies.get("csrf_token")! });
    const res = await onlyAccess.post("/api/auth/fresh-login", { password });
    assert.equal(res.status, 200);
    assert.equal(res.data.session.fresh, true);
    assert.equal((await onlyAccess.get("/api/me")).status, 200);
  });
});
