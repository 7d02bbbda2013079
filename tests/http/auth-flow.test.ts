import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function assertSessionShape(session: any, fresh: boolean) {
  assert.deepEqual(Object.keys(session).sort(), ["accessExpiresAt", "authTime", "fresh", "freshUntil", "id", "methods", "refreshExpiresAt"]);
  assert.equal(session.fresh, fresh);
  assert.deepEqual(session.methods, ["password"], "a password sign-in, and a refresh keeps the methods");
  for (const key of ["accessExpiresAt", "refreshExpiresAt", "authTime"]) assert.match(session[key], ISO);
  if (fresh) assert.match(session.freshUntil, ISO);
  else assert.equal(session.freshUntil, null);
}

describe("the fresh-token walk-through from the README", () => {
  test("register → refresh (not fresh) → delete refused → fresh-login → delete", async () => {
    const email = uniqueEmail();
    const client = new Client(server.url);
    const reg = await client.post("/api/auth/register", { email, password: PASSWORD, name: "Ann" });
    assert.equal(reg.status, 201);
    assert.deepEqual(Object.keys(reg.data.user).sort(), ["email", "emailVerified", "id", "name"]);
    assert.equal(reg.data.user.emailVerified, false);
    assert.equal(reg.data.user.email, email);
    assertSessionShape(reg.data.session, true);

    const refreshed = await client.post("/api/auth/refresh");
    assert.equal(refreshed.status, 200);
    assertSessionShape(refreshed.data.session, false);
    assert.equal(refreshed.data.session.id, reg.data.session.id);

    const refused = await client.delete("/api/account");
    assert.equal(refused.status, 401);
    assert.equal(refused.data.error, "fresh_token_required");
    assert.equal(refused.data.maxAge, 600);
    assert.equal(refused.data.level, "any");
    assert.deepEqual(refused.data.methods, ["password"], "the proofs this account can give");
    assert.equal(refused.headers.get("www-authenticate"), 'Bearer error="fresh_token_required"');

    const refreshCookieBefore = client.cookie("refresh_token");
    const fresh = await client.post("/api/auth/fresh-login", { password: PASSWORD });
    assert.equal(fresh.status, 200);
    assertSessionShape(fresh.data.session, true);
    assert.equal(Date.parse(fresh.data.session.authTime) > Date.parse(reg.data.session.authTime) - 1000, true);
    const me = await client.get("/api/me");
    assert.deepEqual(me.data.session.methods, ["password"], "the access token says how (amr)");
    assert.equal(me.data.user.emailVerified, false);
    assert.ok(!fresh.setCookies.some((c) => c.startsWith("refresh_token=")), "fresh-login leaves the refresh token alone");
    assert.equal(client.cookie("refresh_token"), refreshCookieBefore);

    const deleted = await client.delete("/api/account");
    assert.equal(deleted.status, 204);
    assert.equal(client.cookies.size, 0, "cookies cleared");

    const again = new Client(server.url);
    const login = await again.post("/api/auth/login", { email, password: PASSWORD });
    assert.equal(login.status, 401);
    assert.equal(login.data.error, "invalid_credentials");
  });
});

describe("POST /api/auth/register", () => {
  test("normalises the e-mail so one address is one account", async () => {
    const local = `Mixed-${Date.now()}`;
    const first = await new Client(server.url).post("/api/auth/register", { email: `  ${local}@Example.COM `, password: PASSWORD });
    assert.equal(first.status, 201);
    assert.equal(first.data.user.email, `${local.toLowerCase()}@example.com`);
    assert.equal(first.data.user.name, "");
    const second = await new Client(server.url).post("/api/auth/register", { email: `${local.toLowerCase()}@example.com`, password: PASSWORD });
    assert.equal(second.status, 409);
    assert.equal(second.data.error, "email_taken");
  });

  test("NFC: a decomposed é is the same address as a composed one", async () => {
    const stamp = Date.now();
    const composed = `jos\u00e9-${stamp}@example.com`;
    const decomposed = `jose\u0301-${stamp}@example.com`;
    assert.equal((await new Client(server.url).post("/api/auth/register", { email: composed, password: PASSWORD })).status, 201);
    const dup = await new Client(server.url).post("/api/auth/register", { email: decomposed, password: PASSWORD });
    assert.equal(dup.status, 409);
  });

  test("passwords: 7 characters refused, 8 accepted, 100 accepted and not truncated", async () => {
    const short = await new Client(server.url).post("/api/auth/register", { email: uniqueEmail(), password: "1234567" });
    assert.equal(short.status, 400);
    assert.equal(short.data.error, "invalid_request");
    assert.ok(short.data.fields.password);
    assert.equal((await new Client(server.url).post("/api/auth/register", { email: uniqueEmail(), password: "12345678" })).status, 201);

    const long = "x".repeat(72) + "-the-rest-matters";
    const { email } = await registered(server.url, uniqueEmail(), long);
    const truncated = await new Client(server.url).post("/api/auth/login", { email, password: "x".repeat(72) });
    assert.equal(truncated.status, 401, "bcrypt's 72-byte limit must not make the prefix a valid password");
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: long })).status, 200);
  });

  test("cookies: httpOnly access (Lax, /), refresh (Strict, /api/auth), readable csrf, Max-Age = session life", async () => {
    const { client } = await registered(server.url);
    const access = client.setCookieLine("access_token")!;
    const refresh = client.setCookieLine("refresh_token")!;
    const csrf = client.setCookieLine("csrf_token")!;
    assert.match(access, /HttpOnly/);
    assert.match(access, /SameSite=Lax/);
    assert.match(access, /Path=\/(;|$)/);
    assert.match(refresh, /HttpOnly/);
    assert.match(refresh, /SameSite=Strict/);
    assert.match(refresh, /Path=\/api\/auth/);
    assert.doesNotMatch(csrf, /HttpOnly/);
    assert.match(csrf, /Path=\/(;|$)/);
    for (const line of [access, refresh, csrf]) {
      const maxAge = Number(/Max-Age=(\d+)/.exec(line)![1]);
      assert.ok(maxAge > 30 * 86400 - 60 && maxAge <= 30 * 86400, `Max-Age ${maxAge} is the 30-day session life`);
      assert.doesNotMatch(line, /Secure/, "plain http: no Secure flag");
    }
  });
});

describe("POST /api/auth/login", () => {
  test("gives a fresh access token and a new refresh family", async () => {
    const { email, session } = await registered(server.url);
    const client = new Client(server.url);
    const res = await client.post("/api/auth/login", { email: email.toUpperCase(), password: PASSWORD });
    assert.equal(res.status, 200);
    assert.equal(res.data.user.email, email);
    assertSessionShape(res.data.session, true);
    assert.notEqual(res.data.session.id, session.id);
    assert.equal(res.headers.get("cache-control"), "no-store");
  });

  test("unknown e-mail and wrong password: same status and body", async () => {
    const { email } = await registered(server.url);
    const wrong = await new Client(server.url).post("/api/auth/login", { email, password: "wrong password!" });
    const unknown = await new Client(server.url).post("/api/auth/login", { email: uniqueEmail("nobody"), password: "wrong password!" });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.data, unknown.data);
    assert.equal(wrong.data.error, "invalid_credentials");
    assert.equal(wrong.headers.get("www-authenticate"), unknown.headers.get("www-authenticate"));
  });
});

describe("GET/PATCH /api/me", () => {
  test("returns the user and a session view; PATCH changes the name", async () => {
    const { client, user } = await registered(server.url);
    const me = await client.get("/api/me");
    assert.equal(me.status, 200);
    assert.deepEqual(me.data.user, user);
    assertSessionShape(me.data.session, true);
    const patched = await client.patch("/api/me", { name: "  New Name " });
    assert.equal(patched.status, 200);
    assert.equal(patched.data.user.name, "New Name");
    assert.equal((await client.get("/api/me")).data.user.name, "New Name");
  });

  test("a refreshed (non-fresh) token still reads /api/me", async () => {
    const { client } = await registered(server.url);
    await client.post("/api/auth/refresh");
    const me = await client.get("/api/me");
    assert.equal(me.status, 200);
    assert.equal(me.data.session.fresh, false);
  });
});

describe("POST /api/auth/logout", () => {
  test("revokes the session, clears cookies, and the old access token is refused at once", async () => {
    const { client } = await registered(server.url);
    const stolen = client.cookie("access_token")!;
    const out = await client.post("/api/auth/logout");
    assert.equal(out.status, 204);
    assert.equal(client.cookies.size, 0);
    const replay = await new Client(server.url).get("/api/me", { headers: { cookie: `access_token=${stolen}` } });
    assert.equal(replay.status, 401);
    assert.equal(replay.data.error, "token_revoked");
  });

  test("works with no cookies at all (idempotent)", async () => {
    const res = await new Client(server.url).post("/api/auth/logout");
    assert.equal(res.status, 204);
    assert.ok(res.setCookies.some((c) => c.startsWith("access_token=;")));
  });
});

describe("GET /api/health", () => {
  test("answers ok", async () => {
    const res = await new Client(server.url).get("/api/health");
    assert.equal(res.status, 200);
    assert.equal(res.data.status, "ok");
  });
});
