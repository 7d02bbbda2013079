// Item 4 — CSRF and methods (OWASP CSRF cheat sheet). The victim is signed
// in with a fresh session and every request carries the victim's valid
// X-CSRF-Token, so each refusal below is due to the one thing under test.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "../http/harness";
import { assertError, csrfFor } from "./helpers";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

interface Victim {
  client: Client;
  email: string;
  otherSessionId: string;
  newEmail: string;
  newUser: string;
}
let victim: Victim;
beforeEach(async () => {
  const { client, email } = await registered(server.url);
  const second = new Client(server.url);
  const login = await second.post("/api/auth/login", { email, password: PASSWORD });
  victim = { client, email, otherSessionId: login.data.session.id, newEmail: uniqueEmail("moved"), newUser: uniqueEmail("new") };
});

type Route = [method: string, path: () => string, body?: () => unknown];
/** Every unsafe route of the API, with a body that would succeed. */
const UNSAFE: Route[] = [
  ["POST", () => "/api/auth/register", () => ({ email: victim.newUser, password: PASSWORD })],
  ["POST", () => "/api/auth/login", () => ({ email: victim.email, password: PASSWORD })],
  ["POST", () => "/api/auth/refresh"],
  ["POST", () => "/api/auth/fresh-login", () => ({ password: PASSWORD })],
  ["POST", () => "/api/auth/logout"],
  ["PATCH", () => "/api/me", () => ({ name: "pwned" })],
  ["PUT", () => "/api/account/password", () => ({ currentPassword: PASSWORD, newPassword: "attacker password" })],
  ["PUT", () => "/api/account/email", () => ({ email: victim.newEmail })],
  ["DELETE", () => `/api/sessions/${victim.otherSessionId}`],
  ["DELETE", () => "/api/sessions"],
  ["DELETE", () => "/api/account"],
  ["POST", () => "/api/auth/password-reset", () => ({ email: victim.email })],
  ["POST", () => "/api/auth/password-reset/confirm", () => ({ token: "t".repeat(43), newPassword: "attacker password" })],
  ["POST", () => "/api/auth/verify-email", () => ({ token: "t".repeat(43) })],
  ["POST", () => "/api/account/email/verification"],
];
const WITH_BODY = UNSAFE.filter(([, , body]) => body);
const READABLE = new Set(["/api/me", "/api/sessions"]);

function send(method: string, path: string, body: unknown, headers: Record<string, string>) {
  return victim.client.request(method, path, body === undefined ? { headers } : { json: body, headers });
}

/** Nothing any refused request could have done has happened. */
async function assertNothingChanged() {
  const me = await victim.client.get("/api/me");
  assert.equal(me.status, 200, "still signed in");
  assert.equal(me.data.user.name, "Test");
  assert.equal(me.data.user.email, victim.email);
  const sessions = await victim.client.get("/api/sessions");
  assert.equal(sessions.data.sessions.length, 2, "no session created or revoked");
  assert.equal((await new Client(server.url).post("/api/auth/login", { email: victim.email, password: PASSWORD })).status, 200, "password unchanged");
  assertError(await new Client(server.url).post("/api/auth/login", { email: victim.newUser, password: PASSWORD }), 401, "invalid_credentials", "no account registered");
}

describe("cross-site requests are refused on every unsafe route, login and register included", () => {
  const port = () => new URL(server.url).port;
  const crossSite: [string, () => Record<string, string>][] = [
    ["a foreign Origin", () => ({ origin: "https://evil.example" })],
    ["Origin: null (sandboxed iframe, data: URL)", () => ({ origin: "null" })],
    ["the same host on another port", () => ({ origin: "http://127.0.0.1:1" })],
    ["our host as a prefix of theirs", () => ({ origin: `http://127.0.0.1:${port()}.evil.example` })],
    // Served over plain http, an https page on our host:port is another origin.
    ["our host and port over another scheme", () => ({ origin: server.url.replace(/^http:/, "https:") })],
    ["Sec-Fetch-Site: cross-site", () => ({ "sec-fetch-site": "cross-site" })],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", () => ({ "sec-fetch-site": "same-site" })],
    ["Sec-Fetch-Site: cross-site with our own Origin", () => ({ "sec-fetch-site": "cross-site", origin: server.url })],
  ];
  for (const [label, headers] of crossSite) {
    test(label, async () => {
      for (const [method, path, body] of UNSAFE) {
        const res = await send(method, path(), body?.(), headers());
        assertError(res, 403, "csrf_failed", `${method} ${path()}`);
        assert.deepEqual(res.setCookies, [], `${method} ${path()} sets no cookie (no login CSRF)`);
      }
      await assertNothingChanged();
    });
  }

  test("behind a TLS proxy (X-Forwarded-Proto: https) our https origin is accepted and the http one is not", async () => {
    const https = { "x-forwarded-proto": "https" };
    const register = (origin: string) => new Client(server.url, { origin }).post("/api/auth/register", { email: uniqueEmail(), password: PASSWORD }, { headers: https });
    assertError(await register(server.url), 403, "csrf_failed", "http Origin on an https request");
    assert.equal((await register(server.url.replace(/^http:/, "https:"))).status, 201);
  });

  test("control: the same requests from our own origin go through", async () => {
    assert.equal((await send("PATCH", "/api/me", { name: "Renamed" }, { origin: server.url, "sec-fetch-site": "same-origin" })).status, 200);
    assert.equal((await victim.client.get("/api/me")).data.user.name, "Renamed");
  });
});

describe("only JSON bodies: forms and text/plain (what a cross-site <form> can send) get 415", () => {
  const types = [
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
    "text/json",
    "text/plain; type=application/json",
  ];
  test("on every route that takes a body, and on body-less routes sent one", async () => {
    for (const type of types) {
      for (const [method, path, body] of UNSAFE) {
        const text = body ? JSON.stringify(body()) : "a=1";
        const res = await victim.client.request(method, path(), { body: text, headers: { "content-type": type } });
        assertError(res, 415, "unsupported_media_type", `${method} ${path()} as ${type}`);
      }
    }
    for (const [method, path, body] of WITH_BODY) {
      const res = await victim.client.request(method, path(), { body: JSON.stringify(body!()) });
      assertError(res, 415, "unsupported_media_type", `${method} ${path()} with no Content-Type`);
    }
    await assertNothingChanged();
  });

  test("control: application/json with a charset is accepted", async () => {
    const res = await victim.client.request("PATCH", "/api/me", { body: JSON.stringify({ name: "Charset" }), headers: { "content-type": "application/json; charset=utf-8" } });
    assert.equal(res.status, 200);
  });
});

describe("safe methods never change anything", () => {
  test("GET and HEAD on every mutating route are 405 with Allow, whatever the query or override headers say", async () => {
    const overrides: Record<string, string>[] = [{}, { "x-http-method-override": "DELETE" }, { "x-http-method": "DELETE" }, { "x-method-override": "POST" }];
    for (const [method, path, body] of UNSAFE) {
      const query = body ? `?${new URLSearchParams(Object.entries(body() as Record<string, string>)).toString()}&_method=${method}` : `?_method=${method}`;
      for (const headers of overrides) {
        const res = await victim.client.get(path() + query, { headers });
        // /api/me and /api/sessions have a GET of their own: it reads, and the
        // check below proves it changed nothing.
        if (READABLE.has(path())) {
          assert.equal(res.status, 200, `GET ${path()}`);
          continue;
        }
        assertError(res, 405, "method_not_allowed", `GET ${path()}`);
        assert.ok(res.headers.get("allow")?.includes(method), `Allow on ${path()}: ${res.headers.get("allow")}`);
        assert.deepEqual(res.setCookies, [], `GET ${path()} sets no cookie`);
        const head = await victim.client.request("HEAD", path() + query, { headers });
        assert.equal(head.status, 405, `HEAD ${path()}`);
      }
    }
    await assertNothingChanged();
  });

  test("an override header does not turn POST into DELETE", async () => {
    assertError(await victim.client.request("POST", "/api/account", { headers: { "x-http-method-override": "DELETE" } }), 405, "method_not_allowed");
    await assertNothingChanged();
  });

  test("no CORS: no response, preflight included, lets another origin read the API", async () => {
    const evil = { origin: "https://evil.example" };
    const preflight = await victim.client.request("OPTIONS", "/api/me", { headers: { ...evil, "access-control-request-method": "PATCH", "access-control-request-headers": "x-csrf-token, content-type" } });
    const read = await victim.client.get("/api/me", { headers: evil });
    for (const res of [preflight, read]) {
      for (const name of ["access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-headers"]) {
        assert.equal(res.headers.get(name), null, `${name} on ${res.status}`);
      }
    }
  });
});

describe("the CSRF token is bound to the session", () => {
  test("a planted csrf_token cookie with a matching header does not pass", async () => {
    const access = victim.client.cookie("access_token");
    const attacker = (await registered(server.url)).client;
    const planted = [
      "planted",
      attacker.cookie("csrf_token")!, // the attacker's own genuine value, for another session
      csrfFor("some-other-session-id"),
      csrfFor(victim.otherSessionId, "another-secret-that-is-long-enough-0123456789"),
      "",
    ];
    for (const value of planted) {
      const res = await victim.client.patch("/api/me", { name: "pwned" }, { headers: { cookie: `access_token=${access}; csrf_token=${value}`, "x-csrf-token": value } });
      assertError(res, 403, "csrf_failed", `planted ${JSON.stringify(value.slice(0, 12))}`);
    }
    // The right value in the cookie alone, or in the query string, is not enough.
    const noHeader = await victim.client.patch("/api/me?x-csrf-token=" + victim.client.cookie("csrf_token"), { name: "pwned" }, { headers: { "x-csrf-token": "" } });
    assertError(noHeader, 403, "csrf_failed", "cookie and query, no header");
    await assertNothingChanged();
  });
});
