// A black-box pass over DESIGN.md's "HTTP API", "Cookies", "CSRF", "Tokens"
// and "Sessions" sections, for what the other files in tests/http and
// tests/security leave out: exact body shapes and headers on every kind of
// answer, logout and fresh-login with either cookie, cookies cleared with the
// right names and paths, the 64 KB limit on body-less routes, and https
// cookies behind a TLS-terminating proxy (X-Forwarded-Proto).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import { assertError, claimsFor, copyOf, decode, forge, now, withCookies } from "../security/helpers";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

type Res = Awaited<ReturnType<Client["request"]>>;
const HTTP_NAMES = { access: "access_token", refresh: "refresh_token", csrf: "csrf_token" };
const HTTPS_NAMES = { access: "__Host-access_token", refresh: "__Secure-refresh_token", csrf: "__Host-csrf_token" };

/** The one error shape: exactly {error, description}, plus `fields` or `maxAge` where the contract says. */
function assertErrorShape(res: Res, status: number, code: string) {
  assertError(res, status, code);
  const extra = code === "invalid_request" ? ["fields"] : code === "fresh_token_required" ? ["level", "maxAge", "methods"] : [];
  assert.deepEqual(Object.keys(res.data).sort(), ["description", "error", ...extra].sort(), JSON.stringify(res.data));
  assert.ok(typeof res.data.description === "string" && res.data.description.length > 0);
  assert.equal(res.headers.get("cache-control"), "no-store", `${status} ${code}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  if (status === 401) assert.equal(res.headers.get("www-authenticate"), `Bearer error="${code}"`);
  else assert.equal(res.headers.get("www-authenticate"), null);
}

/** All three session cookies are cleared (Max-Age=0), each on the path it was set with. */
function assertCleared(res: Res, names = HTTP_NAMES, secure = false) {
  const lines = res.setCookies;
  for (const [kind, name] of Object.entries(names)) {
    const line = lines.find((l) => l.startsWith(`${name}=`));
    assert.ok(line, `${name} cleared in ${JSON.stringify(lines)}`);
    assert.match(line, new RegExp(`^${name}=;`), `${name} emptied`);
    assert.match(line, /Max-Age=0/);
    assert.match(line, kind === "refresh" ? /Path=\/api\/auth(;|$)/ : /Path=\/(;|$)/, line);
    if (secure) assert.match(line, /; Secure/, line);
  }
}

describe("logout", () => {
  test("with only an EXPIRED access token: 204, the session is revoked, all three cookies cleared", async () => {
    const { client } = await registered(server.url);
    const real = decode(client.cookie("access_token")!).payload;
    // Signed with the server's own key: exactly what the browser holds after a long sleep.
    const expired = await forge("access", { ...claimsFor(real, "access"), iat: now() - 3600, exp: now() - 60 });
    assertErrorShape(await withCookies(server.url, { access_token: expired }).get("/api/me"), 401, "token_expired");
    const out = await withCookies(server.url, { access_token: expired }).post("/api/auth/logout", undefined, {
      headers: { "x-csrf-token": client.cookie("csrf_token")! },
    });
    assert.equal(out.status, 204);
    assert.equal(out.headers.get("cache-control"), "no-store");
    assertCleared(out);
    assertErrorShape(await client.get("/api/me"), 401, "token_revoked");
    assertErrorShape(await client.post("/api/auth/refresh"), 401, "token_revoked");
  });

  test("ends only a session that belongs to the token's own user (sid AND sub must match)", async () => {
    const victim = await registered(server.url);
    const attacker = await registered(server.url);
    const attackerSub = decode(attacker.client.cookie("access_token")!).payload.sub;
    // Genuinely signed tokens naming the victim's session under another user.
    for (const type of ["access", "refresh"] as const) {
      const real = decode(victim.client.cookie(type === "access" ? "access_token" : "refresh_token")!).payload;
      const token = await forge(type, { ...claimsFor(real, type), sub: attackerSub });
      const cookie = type === "access" ? { access_token: token } : { refresh_token: token };
      const res = await withCookies(server.url, cookie).post("/api/auth/logout", undefined, {
        headers: { "x-csrf-token": victim.client.cookie("csrf_token")! },
      });
      assert.equal(res.status, 204, `${type}: the caller's own cookies are still cleared`);
      assertCleared(res);
      assert.equal((await victim.client.get("/api/me")).status, 200, `${type}: the victim's session lives on`);
    }
    assert.equal((await attacker.client.get("/api/me")).status, 200, "the attacker's own session was not touched either");
    // Control: the owner's own logout does end it.
    const stale = copyOf(victim.client);
    assert.equal((await victim.client.post("/api/auth/logout")).status, 204);
    assertErrorShape(await stale.get("/api/me"), 401, "token_revoked");
  });

  test("of a session already ended is still 204 and still clears the cookies", async () => {
    const { client } = await registered(server.url);
    const stale = copyOf(client);
    assert.equal((await client.post("/api/auth/logout")).status, 204);
    const again = await stale.post("/api/auth/logout");
    assert.equal(again.status, 204);
    assertCleared(again);
  });
});

describe("refresh", () => {
  test("200 is exactly {session}, not fresh; cookie Max-Age is the session's remaining life, which does not grow", async () => {
    const { client, session } = await registered(server.url);
    const res = await client.post("/api/auth/refresh");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.deepEqual(Object.keys(res.data), ["session"]);
    assert.equal(res.data.session.fresh, false);
    assert.equal(res.data.session.freshUntil, null);
    assert.equal(res.data.session.refreshExpiresAt, session.refreshExpiresAt, "the absolute life does not move");
    assert.equal(res.data.session.authTime, session.authTime, "no password was checked");
    const remaining = (Date.parse(session.refreshExpiresAt) - Date.now()) / 1000;
    for (const name of Object.values(HTTP_NAMES)) {
      const line = res.setCookies.find((l) => l.startsWith(`${name}=`));
      assert.ok(line, `${name} set`);
      const maxAge = Number(/Max-Age=(\d+)/.exec(line)![1]);
      assert.ok(Math.abs(maxAge - remaining) <= 3, `${name} Max-Age ${maxAge} ≈ remaining ${remaining}`);
    }
  });

  test("a refused (401) refresh clears all three cookies and says why in WWW-Authenticate", async () => {
    const { client } = await registered(server.url);
    const copy = copyOf(client);
    assert.equal((await client.post("/api/auth/logout")).status, 204);
    const res = await copy.post("/api/auth/refresh");
    assertErrorShape(res, 401, "token_revoked");
    assertCleared(res);
  });

  test("an expired refresh token is 401 token_expired whose description names the refresh token", async () => {
    const { client } = await registered(server.url);
    const real = decode(client.cookie("refresh_token")!).payload;
    // Signed with the server's own key: a session whose absolute life has ended.
    const expired = await forge("refresh", { ...claimsFor(real, "refresh"), iat: now() - 3600, exp: now() - 60 });
    const res = await withCookies(server.url, { refresh_token: expired }).post("/api/auth/refresh", undefined, {
      headers: { "x-csrf-token": client.cookie("csrf_token")! },
    });
    assertErrorShape(res, 401, "token_expired");
    assert.match(res.data.description, /refresh token/i);
    assert.doesNotMatch(res.data.description, /access/i);
    assertCleared(res);
  });

  test("a body over 64 KB is 413 even though refresh reads no body, and nothing is rotated or cleared", async () => {
    const { client } = await registered(server.url);
    const before = client.cookie("refresh_token");
    const res = await client.post("/api/auth/refresh", { pad: "x".repeat(70 * 1024) });
    assertErrorShape(res, 413, "payload_too_large");
    assert.deepEqual(res.setCookies, []);
    assert.equal(client.cookie("refresh_token"), before);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    const logout = await client.post("/api/auth/logout", { pad: "x".repeat(70 * 1024) });
    assertErrorShape(logout, 413, "payload_too_large");
  });
});

describe("fresh-login", () => {
  test("with only the refresh cookie: 200 exactly {session}, fresh; access and csrf re-set, refresh untouched", async () => {
    const { client } = await registered(server.url);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
    const refresh = client.cookie("refresh_token")!;
    const onlyRefresh = withCookies(server.url, { refresh_token: refresh });
    const res = await onlyRefresh.post("/api/auth/fresh-login", { password: PASSWORD }, { headers: { "x-csrf-token": client.cookie("csrf_token")! } });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.deepEqual(Object.keys(res.data), ["session"]);
    assert.equal(res.data.session.fresh, true);
    assert.ok(Date.parse(res.data.session.freshUntil) > Date.now());
    assert.ok(res.setCookies.some((l) => l.startsWith("access_token=")));
    assert.ok(res.setCookies.some((l) => l.startsWith("csrf_token=")));
    assert.ok(!res.setCookies.some((l) => l.startsWith("refresh_token=")), "refresh token unchanged");
    // The new fresh access token does what only a fresh one may.
    assert.equal((await onlyRefresh.put("/api/account/email", { email: uniqueEmail("moved") })).status, 202);
    // And the refresh token it kept still rotates (it was not consumed).
    assert.equal((await withCookies(server.url, { refresh_token: refresh }).post("/api/auth/refresh", undefined, { headers: { "x-csrf-token": client.cookie("csrf_token")! } })).status, 200);
  });

  test("with no cookie at all is 401 authorization_required", async () => {
    assertErrorShape(await new Client(server.url).post("/api/auth/fresh-login", { password: PASSWORD }), 401, "authorization_required");
  });
});

describe("response shapes and headers", () => {
  test("every success on auth and account routes is no-store; user is exactly {id,email,name}", async () => {
    const email = uniqueEmail();
    const client = new Client(server.url);
    const reg = await client.post("/api/auth/register", { email, password: PASSWORD, name: "Ann" });
    assert.deepEqual(Object.keys(reg.data).sort(), ["session", "user"]);
    const login = await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD });
    assert.deepEqual(Object.keys(login.data).sort(), ["session", "user"]);
    const patched = await client.patch("/api/me", { name: "Bo" });
    assert.deepEqual(Object.keys(patched.data), ["user"]);
    const answers: [string, Res, number][] = [
      ["register", reg, 201],
      ["login", login, 200],
      ["GET /api/me", await client.get("/api/me"), 200],
      ["PATCH /api/me", patched, 200],
      ["GET /api/sessions", await client.get("/api/sessions"), 200],
      ["DELETE /api/sessions", await client.delete("/api/sessions"), 204],
      ["PUT /api/account/password", await client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: PASSWORD + "!" }), 204],
      ["PUT /api/account/email", await client.put("/api/account/email", { email: uniqueEmail("new") }), 202],
      ["logout", await client.post("/api/auth/logout"), 204],
    ];
    for (const [label, res, status] of answers) {
      assert.equal(res.status, status, `${label}: ${JSON.stringify(res.data)}`);
      assert.equal(res.headers.get("cache-control"), "no-store", label);
      if (status === 204) assert.equal(res.data, null, `${label}: empty body`);
      if (res.data?.user) assert.deepEqual(Object.keys(res.data.user).sort(), ["email", "emailVerified", "id", "name"], label);
    }
  });

  test("404, 405, 400, 413, 415 and 403 answers have the error shape and no-store", async () => {
    const c = new Client(server.url);
    assertErrorShape(await c.get("/api"), 404, "not_found");
    assertErrorShape(await c.get("/api/nope"), 404, "not_found");
    assertErrorShape(await c.request("PATCH", "/api/auth/refresh/extra"), 404, "not_found");
    assertErrorShape(await c.delete("/api/a/b/c"), 404, "not_found");
    assertErrorShape(await c.get("/api/auth/refresh"), 405, "method_not_allowed");
    assertErrorShape(await c.request("PUT", "/api/health"), 405, "method_not_allowed");
    assertErrorShape(await c.post("/api/auth/login", { email: "nope" }), 400, "invalid_request");
    assertErrorShape(await c.request("POST", "/api/auth/login", { body: "{", headers: { "content-type": "application/json" } }), 400, "invalid_json");
    assertErrorShape(await c.request("POST", "/api/auth/login", { body: "{}", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    assertErrorShape(await c.post("/api/auth/register", { email: uniqueEmail(), password: "p".repeat(65 * 1024) }), 413, "payload_too_large");
    assertErrorShape(await c.post("/api/auth/login", { email: uniqueEmail(), password: PASSWORD }, { headers: { origin: "https://evil.example" } }), 403, "csrf_failed");
  });

  test("TRACE and WebDAV methods (which fetch cannot send) are a JSON 405, not a bare 500 or 400", async () => {
    const { hostname, port } = new URL(server.url);
    for (const method of ["TRACE", "PROPFIND"]) {
      const res = await new Promise<{ status: number; type?: string; cache?: string; body: string }>((resolve, reject) => {
        const req = http.request({ hostname, port, path: "/api/me", method }, (r) => {
          let body = "";
          r.on("data", (d) => (body += d));
          r.on("end", () => resolve({ status: r.statusCode!, type: r.headers["content-type"], cache: r.headers["cache-control"], body }));
        });
        req.on("error", reject);
        req.end();
      });
      assert.equal(res.status, 405, `${method}: ${res.body}`);
      assert.equal(res.type, "application/json");
      assert.equal(res.cache, "no-store");
      assert.equal(JSON.parse(res.body).error, "method_not_allowed");
    }
  });

  test("invalid_request names each bad field in `fields`", async () => {
    const res = await new Client(server.url).post("/api/auth/register", { email: "x", password: "1234567" });
    assertErrorShape(res, 400, "invalid_request");
    assert.deepEqual(Object.keys(res.data.fields).sort(), ["email", "password"]);
  });

  test("fresh_token_required carries maxAge (the route's window in seconds) and WWW-Authenticate", async () => {
    const { client } = await registered(server.url);
    await client.post("/api/auth/refresh");
    for (const res of [await client.delete("/api/account"), await client.put("/api/account/email", { email: uniqueEmail() })]) {
      assertErrorShape(res, 401, "fresh_token_required");
      assert.equal(res.data.maxAge, 600);
      assert.equal(res.data.level, "any");
      assert.deepEqual(res.data.methods, ["password"]);
    }
  });

  test("every 401 code carries WWW-Authenticate, invalid_credentials included", async () => {
    const c = new Client(server.url);
    assertErrorShape(await c.get("/api/me"), 401, "authorization_required");
    assertErrorShape(await c.get("/api/me", { headers: { cookie: "access_token=x.y.z" } }), 401, "invalid_token");
    assertErrorShape(await c.post("/api/auth/login", { email: uniqueEmail(), password: PASSWORD }), 401, "invalid_credentials");
  });

  test("health is exactly {status:\"ok\"}", async () => {
    const res = await new Client(server.url).get("/api/health");
    assert.equal(res.status, 200);
    assert.deepEqual(res.data, { status: "ok" });
  });
});

describe("passwords and e-mails", () => {
  test("a 64-character password is accepted at register and login; 7 characters are refused", async () => {
    const password = "a1-".repeat(21) + "z"; // 64
    assert.equal(password.length, 64);
    const { email } = await registered(server.url, uniqueEmail(), password);
    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password })).status, 200);
    assertErrorShape(await new Client(server.url).post("/api/auth/login", { email, password: password.slice(0, -1) }), 401, "invalid_credentials");
    const short = await new Client(server.url).post("/api/auth/register", { email: uniqueEmail(), password: "abcdefg" });
    assertErrorShape(short, 400, "invalid_request");
    assert.ok(short.data.fields.password);
  });

  test("login finds the account by a trimmed, NFC, differently-cased spelling of the address", async () => {
    const stamp = Date.now().toString(36);
    const { email } = await registered(server.url, `ren\u00e9-${stamp}@example.com`);
    const res = await new Client(server.url).post("/api/auth/login", { email: `  RENE\u0301-${stamp.toUpperCase()}@EXAMPLE.com `, password: PASSWORD });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.user.email, email);
  });
});

describe("CSRF: who may send unsafe requests", () => {
  test("Sec-Fetch-Site: none (typed in the address bar, bookmarks) is allowed", async () => {
    const c = new Client(server.url, { origin: null });
    const reg = await c.post("/api/auth/register", { email: uniqueEmail(), password: PASSWORD }, { headers: { "sec-fetch-site": "none" } });
    assert.equal(reg.status, 201);
    assert.equal((await c.patch("/api/me", { name: "N" }, { headers: { "sec-fetch-site": "none" } })).status, 200);
  });

  test("a client with neither Origin nor Sec-Fetch-Site is judged by the CSRF token alone", async () => {
    const c = new Client(server.url, { origin: null });
    assert.equal((await c.post("/api/auth/register", { email: uniqueEmail(), password: PASSWORD })).status, 201);
    assert.equal((await c.patch("/api/me", { name: "curl" })).status, 200, "with the token");
    assertErrorShape(await c.patch("/api/me", { name: "x" }, { headers: { "x-csrf-token": "wrong" } }), 403, "csrf_failed");
    assertErrorShape(await c.post("/api/auth/refresh", undefined, { headers: { "x-csrf-token": "wrong" } }), 403, "csrf_failed");
    assert.equal((await c.post("/api/auth/refresh")).status, 200);
  });
});

describe("https behind a TLS-terminating proxy (X-Forwarded-Proto: https)", () => {
  const https = { "x-forwarded-proto": "https" };

  test("cookies are Secure and prefixed, keep their paths and flags, and work end to end", async () => {
    // A browser on the https page behind the proxy sends the https Origin.
    const c = new Client(server.url, { origin: server.url.replace(/^http:/, "https:") });
    const reg = await c.post("/api/auth/register", { email: uniqueEmail(), password: PASSWORD }, { headers: https });
    assert.equal(reg.status, 201);
    const line = (name: string) => reg.setCookies.find((l) => l.startsWith(`${name}=`)) ?? assert.fail(`${name} not set: ${reg.setCookies}`);
    for (const name of Object.values(HTTP_NAMES)) assert.ok(!reg.setCookies.some((l) => l.startsWith(`${name}=`)), `no unprefixed ${name}`);
    const access = line(HTTPS_NAMES.access);
    const refresh = line(HTTPS_NAMES.refresh);
    const csrf = line(HTTPS_NAMES.csrf);
    for (const l of [access, refresh, csrf]) {
      assert.match(l, /; Secure/);
      assert.doesNotMatch(l, /Domain=/i, "__Host- and __Secure- cookies carry no Domain");
      assert.match(l, /Max-Age=\d{7}/, "30 days");
    }
    assert.match(access, /HttpOnly/);
    assert.match(access, /SameSite=Lax/);
    assert.match(access, /Path=\/(;|$)/);
    assert.match(refresh, /HttpOnly/);
    assert.match(refresh, /SameSite=Strict/);
    assert.match(refresh, /Path=\/api\/auth(;|$)/);
    assert.doesNotMatch(csrf, /HttpOnly/);
    assert.match(csrf, /Path=\/(;|$)/);

    const csrfValue = c.cookie(HTTPS_NAMES.csrf)!;
    const headers = { ...https, "x-csrf-token": csrfValue };
    assert.equal((await c.get("/api/me", { headers: https })).status, 200);
    const refreshed = await c.post("/api/auth/refresh", undefined, { headers });
    assert.equal(refreshed.status, 200);
    assert.ok(refreshed.setCookies.some((l) => l.startsWith(`${HTTPS_NAMES.refresh}=`) && /; Secure/.test(l)));
    const out = await c.post("/api/auth/logout", undefined, { headers });
    assert.equal(out.status, 204);
    assertCleared(out, HTTPS_NAMES, true);
    assert.equal(c.cookies.size, 0);
  });
});
