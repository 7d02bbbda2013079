import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, TEST_SECRET, uniqueEmail, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

function assertError(res: { status: number; data: any; headers: Headers }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.data));
  assert.equal(res.data.error, code);
  assert.equal(typeof res.data.description, "string");
  assert.ok(res.data.description.length > 0);
  assert.equal(res.headers.get("cache-control"), "no-store");
  if (status === 401) assert.equal(res.headers.get("www-authenticate"), `Bearer error="${code}"`);
}

describe("request validation", () => {
  test("invalid_request names the fields", async () => {
    const res = await new Client(server.url).post("/api/auth/register", { email: "not-an-email", password: 5 });
    assertError(res, 400, "invalid_request");
    assert.ok(res.data.fields.email);
    assert.ok(res.data.fields.password);
  });

  test("unknown keys, arrays and __proto__ are invalid_request", async () => {
    const c = new Client(server.url);
    assertError(await c.post("/api/auth/login", [1, 2]), 400, "invalid_request");
    assertError(await c.post("/api/auth/login", { email: uniqueEmail(), password: PASSWORD, admin: true }), 400, "invalid_request");
    const proto = await c.request("POST", "/api/auth/login", {
      body: `{"email":"${uniqueEmail()}","password":"x","__proto__":{"admin":true}}`,
      headers: { "content-type": "application/json" },
    });
    assertError(proto, 400, "invalid_request");
  });

  test("invalid_json", async () => {
    const res = await new Client(server.url).request("POST", "/api/auth/login", { body: "{nope", headers: { "content-type": "application/json" } });
    assertError(res, 400, "invalid_json");
  });

  test("unsupported_media_type for text/plain and form bodies", async () => {
    const c = new Client(server.url);
    const body = JSON.stringify({ email: uniqueEmail(), password: PASSWORD });
    assertError(await c.request("POST", "/api/auth/register", { body, headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    assertError(await c.request("POST", "/api/auth/login", { body: "email=a&password=b", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type");
  });

  test("payload_too_large over 64 KB, and the server keeps serving", async () => {
    const res = await new Client(server.url).post("/api/auth/login", { email: uniqueEmail(), password: "x".repeat(70 * 1024) });
    assertError(res, 413, "payload_too_large");
    assert.equal((await new Client(server.url).get("/api/health")).status, 200);
  });

  test("a 1 MB password never reaches the hash (413 before parsing)", async () => {
    const started = Date.now();
    const res = await new Client(server.url).post("/api/auth/login", { email: uniqueEmail(), password: "p".repeat(1024 * 1024) });
    assert.equal(res.status, 413);
    assert.ok(Date.now() - started < 2000);
  });

  test("a password over 1024 characters (under the body limit) is a fast 400", async () => {
    const res = await new Client(server.url).post("/api/auth/register", { email: uniqueEmail(), password: "p".repeat(5000) });
    assertError(res, 400, "invalid_request");
    assert.ok(res.data.fields.password);
  });
});

describe("authentication errors", () => {
  test("authorization_required without a token", async () => {
    assertError(await new Client(server.url).get("/api/me"), 401, "authorization_required");
    assertError(await new Client(server.url).get("/api/sessions"), 401, "authorization_required");
  });

  test("invalid_token for garbage and for a tampered token", async () => {
    const garbage = await new Client(server.url).get("/api/me", { headers: { cookie: "access_token=not.a.jwt" } });
    assertError(garbage, 401, "invalid_token");
    const { client } = await registered(server.url);
    await client.post("/api/auth/refresh");
    const [h, p, s] = client.cookie("access_token")!.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    assert.equal(claims.fresh, false);
    const forged = [h, Buffer.from(JSON.stringify({ ...claims, fresh: true })).toString("base64url"), s].join(".");
    const res = await new Client(server.url).request("DELETE", "/api/account", {
      headers: { cookie: `access_token=${forged}`, "x-csrf-token": client.cookie("csrf_token")! },
    });
    assertError(res, 401, "invalid_token");
  });

  test("a token signed with another secret is invalid_token", async () => {
    const { SignJWT } = await import("jose");
    const other = new TextEncoder().encode(TEST_SECRET.split("").reverse().join(""));
    const token = await new SignJWT({ sid: "x", type: "access", fresh: true, auth_time: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: "whatever" })
      .setSubject("x").setJti("x").setIssuer("fresh-auth").setAudience("fresh-auth").setIssuedAt().setExpirationTime("5m")
      .sign(other);
    assertError(await new Client(server.url).get("/api/me", { headers: { cookie: `access_token=${token}` } }), 401, "invalid_token");
  });

  test("invalid_credentials", async () => {
    assertError(await new Client(server.url).post("/api/auth/login", { email: uniqueEmail(), password: PASSWORD }), 401, "invalid_credentials");
  });

  test("fresh-login with a wrong password is invalid_credentials and leaves the session alone", async () => {
    const { client } = await registered(server.url);
    assertError(await client.post("/api/auth/fresh-login", { password: "wrong wrong" }), 401, "invalid_credentials");
    assert.equal((await client.get("/api/me")).status, 200);
  });
});

describe("CSRF", () => {
  test("cookie-authenticated unsafe requests need X-CSRF-Token bound to the session", async () => {
    const { client } = await registered(server.url);
    const other = await registered(server.url);
    assertError(await client.patch("/api/me", { name: "x" }, { headers: { "x-csrf-token": "" } }), 403, "csrf_failed");
    const noHeader = new Client(server.url, { csrf: false });
    for (const [name, cookie] of client.cookies) noHeader.cookies.set(name, cookie);
    assertError(await noHeader.patch("/api/me", { name: "x" }), 403, "csrf_failed");
    // Another session's value, planted as both cookie and header, never passes.
    const planted = await client.patch("/api/me", { name: "x" }, {
      headers: { "x-csrf-token": other.client.cookie("csrf_token")!, cookie: `access_token=${client.cookie("access_token")}; csrf_token=${other.client.cookie("csrf_token")}` },
    });
    assertError(planted, 403, "csrf_failed");
    assertError(await noHeader.post("/api/auth/refresh"), 403, "csrf_failed");
    assertError(await noHeader.post("/api/auth/logout"), 403, "csrf_failed");
    assert.equal((await client.get("/api/me")).data.user.name, "Test", "nothing changed");
  });

  test("a foreign Origin, Origin: null, or a cross-site Sec-Fetch-Site is refused, login included", async () => {
    const creds = { email: uniqueEmail(), password: PASSWORD };
    const c = new Client(server.url);
    assertError(await c.post("/api/auth/register", creds, { headers: { origin: "https://evil.example" } }), 403, "csrf_failed");
    assertError(await c.post("/api/auth/register", creds, { headers: { origin: "null" } }), 403, "csrf_failed");
    assertError(await c.post("/api/auth/login", creds, { headers: { "sec-fetch-site": "cross-site" } }), 403, "csrf_failed");
    assertError(await c.post("/api/auth/login", creds, { headers: { "sec-fetch-site": "same-site" } }), 403, "csrf_failed");
    const ok = await new Client(server.url, { origin: null }).post("/api/auth/register", creds, { headers: { "sec-fetch-site": "same-origin" } });
    assert.equal(ok.status, 201);
  });
});

describe("routing errors", () => {
  test("unknown /api paths are JSON 404 not_found", async () => {
    assertError(await new Client(server.url).get("/api/does-not-exist"), 404, "not_found");
    assertError(await new Client(server.url).post("/api/auth/nope", {}), 404, "not_found");
  });

  test("wrong methods are JSON 405 with Allow; GET /api/auth/refresh changes nothing", async () => {
    const { client } = await registered(server.url);
    const before = client.cookie("refresh_token");
    const res = await client.get("/api/auth/refresh");
    assertError(res, 405, "method_not_allowed");
    assert.equal(res.headers.get("allow"), "POST, OPTIONS");
    assert.equal(res.setCookies.length, 0);
    assert.equal((await client.post("/api/auth/refresh")).status, 200, "the token was not consumed by the GET");
    assert.notEqual(client.cookie("refresh_token"), before);
    assertError(await client.get("/api/account"), 405, "method_not_allowed");
    assertError(await client.request("POST", "/api/me"), 405, "method_not_allowed");
  });

  test("email_taken", async () => {
    const { email } = await registered(server.url);
    assertError(await new Client(server.url).post("/api/auth/register", { email, password: PASSWORD }), 409, "email_taken");
  });
});

describe("internal_error", () => {
  test("is never triggered by hostile but well-formed input", async () => {
    const weird = ["' OR 1=1 --", "\u0000", "🙂".repeat(50), "a".repeat(300)];
    for (const value of weird) {
      const res = await new Client(server.url).post("/api/auth/login", { email: `${value}@example.com`, password: value });
      assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(value).slice(0, 30)}`);
    }
    const { client } = await registered(server.url);
    for (const name of ["\u0000", "Robert'); DROP TABLE \"User\";--"]) {
      const res = await client.patch("/api/me", { name });
      assert.ok(res.status === 200 || res.status === 400, `${res.status} for name ${JSON.stringify(name)}`);
      if (res.status === 200) assert.equal(res.data.user.name, name, "SQL-looking text is plain data");
    }
    assert.equal((await client.get("/api/me")).status, 200);
  });
});
