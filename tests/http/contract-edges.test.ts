// The contract at the edges a browser rarely reaches but a scanner does:
// OPTIONS, malformed percent-escapes, trailing slashes, and bodies on routes
// that read none (chunked, or declared on GET). Raw node:http where fetch
// would refuse or rewrite the request.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertError } from "../security/helpers";
import { Client, PASSWORD, rawRequest, registered, startServer, type RawResponse, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

/** The contract's error shape on a raw answer. */
function assertRawError(res: RawResponse, status: number, code: string, context: string) {
  assert.equal(res.status, status, `${context} → ${res.status} ${res.body}`);
  assert.match(String(res.headers["content-type"]), /^application\/json/, context);
  assert.equal(res.headers["cache-control"], "no-store", context);
  const body = JSON.parse(res.body);
  assert.deepEqual(Object.keys(body).sort(), ["description", "error"], context);
  assert.equal(body.error, code, context);
}

describe("OPTIONS", () => {
  // Every route file, with exactly the methods it implements.
  const ALLOW: [string, string][] = [
    ["/api/auth/register", "POST, OPTIONS"],
    ["/api/auth/login", "POST, OPTIONS"],
    ["/api/auth/refresh", "POST, OPTIONS"],
    ["/api/auth/fresh-login", "POST, OPTIONS"],
    ["/api/auth/logout", "POST, OPTIONS"],
    ["/api/auth/resume", "GET, HEAD, OPTIONS"],
    ["/api/me", "GET, HEAD, PATCH, OPTIONS"],
    ["/api/account", "DELETE, OPTIONS"],
    ["/api/account/email", "PUT, OPTIONS"],
    ["/api/account/password", "PUT, OPTIONS"],
    ["/api/sessions", "GET, HEAD, DELETE, OPTIONS"],
    ["/api/sessions/some-id", "DELETE, OPTIONS"],
    ["/api/health", "GET, HEAD, OPTIONS"],
    ["/api/auth/fresh-login/options", "POST, OPTIONS"],
    ["/api/auth/passkey/options", "POST, OPTIONS"],
    ["/api/auth/passkey/login", "POST, OPTIONS"],
    ["/api/account/passkeys", "GET, HEAD, POST, OPTIONS"],
    ["/api/account/passkeys/options", "POST, OPTIONS"],
    ["/api/account/passkeys/some-id", "PATCH, DELETE, OPTIONS"],
  ];

  test("is 204 no-store with Allow naming only what the route implements; its 405s say the same", async () => {
    const c = new Client(server.url);
    for (const [path, allow] of ALLOW) {
      const res = await c.request("OPTIONS", path);
      assert.equal(res.status, 204, path);
      assert.equal(res.headers.get("allow"), allow, path);
      assert.equal(res.headers.get("cache-control"), "no-store", path);
      assert.equal(res.data, null, path);
      const other = ["GET", "POST", "PUT", "PATCH", "DELETE"].find((m) => !allow.split(", ").includes(m))!;
      const refused = await c.request(other, path);
      assertError(refused, 405, "method_not_allowed", `${other} ${path}`);
      assert.equal(refused.headers.get("allow"), allow, `${other} ${path}`);
    }
  });

  test("HEAD is served wherever Allow lists it", async () => {
    for (const [path, allow] of ALLOW.filter(([, allow]) => allow.includes("HEAD"))) {
      const res = await new Client(server.url).request("HEAD", path);
      assert.notEqual(res.status, 405, `HEAD ${path} (Allow: ${allow})`);
    }
  });

  test("on an unknown /api path is the JSON 404", async () => {
    for (const path of ["/api", "/api/nope", "/api/auth/refresh/extra"]) {
      assertError(await new Client(server.url).request("OPTIONS", path), 404, "not_found", path);
    }
  });
});

describe("the 64 KB limit on routes that read no body", () => {
  const big = JSON.stringify({ pad: "x".repeat(70 * 1024) });

  test("a chunked body over it (no Content-Length) is 413 on refresh, logout and DELETE /api/sessions, and changes nothing", async () => {
    const { client, email } = await registered(server.url);
    const other = new Client(server.url);
    assert.equal((await other.post("/api/auth/login", { email, password: PASSWORD })).status, 200);
    const refresh = client.cookie("refresh_token");
    for (const [method, path] of [["POST", "/api/auth/refresh"], ["POST", "/api/auth/logout"], ["DELETE", "/api/sessions"]]) {
      const headers = { cookie: client.cookieHeader(path), "x-csrf-token": client.cookie("csrf_token")!, origin: server.url, "content-type": "application/json" };
      const res = await rawRequest(server.url, method, path, { headers, body: big, chunked: true });
      assertRawError(res, 413, "payload_too_large", `${method} ${path}`);
      assert.equal(res.headers["set-cookie"], undefined, `${method} ${path} sets no cookie`);
    }
    // Nothing rotated, revoked or signed out.
    assert.equal((await client.get("/api/sessions")).data.sessions.length, 2);
    assert.equal(client.cookie("refresh_token"), refresh);
    assert.equal((await client.post("/api/auth/refresh")).status, 200);
  });

  test("control: a chunked body within it is served, and still reaches a handler that reads it", async () => {
    const { client } = await registered(server.url);
    const send = (method: string, path: string, body: string) =>
      rawRequest(server.url, method, path, {
        headers: { cookie: client.cookieHeader(path), "x-csrf-token": client.cookie("csrf_token")!, origin: server.url, "content-type": "application/json" },
        body,
        chunked: true,
      });
    const patched = await send("PATCH", "/api/me", JSON.stringify({ name: "Chunked" }) + " ".repeat(40 * 1024));
    assert.equal(patched.status, 200, patched.body);
    assert.equal(JSON.parse(patched.body).user.name, "Chunked");
    assert.equal((await send("POST", "/api/auth/refresh", "{}")).status, 200);
  });

  test("a declared Content-Length over it is 413 on GET and OPTIONS too", async () => {
    const { client } = await registered(server.url);
    for (const [method, path] of [["GET", "/api/me"], ["GET", "/api/health"], ["GET", "/api/sessions"], ["GET", "/api/auth/resume"], ["OPTIONS", "/api/me"]]) {
      const headers = { cookie: client.cookieHeader(path), "content-type": "application/json" };
      assertRawError(await rawRequest(server.url, method, path, { headers, body: big }), 413, "payload_too_large", `${method} ${path}`);
    }
  });
});

describe("malformed percent-escapes in the path", () => {
  test("on /api are the JSON 404, on any method, before Next can fail on them with a text 500", async () => {
    const { client } = await registered(server.url);
    const cases: [string, string][] = [
      ["GET", "/api/%ZZ"],
      ["GET", "/api/%E0%A4%A"], // a truncated UTF-8 sequence
      ["GET", "/api/me/%C0%80"], // an overlong one
      ["POST", "/api/auth/%ZZ"],
      ["DELETE", "/api/sessions/%ZZ"],
      ["GET", "/api/%ZZ?next=/"],
    ];
    for (const [method, path] of cases) {
      const headers = { cookie: client.cookieHeader("/api/"), "x-csrf-token": client.cookie("csrf_token")!, origin: server.url };
      assertRawError(await rawRequest(server.url, method, path, { headers }), 404, "not_found", `${method} ${path}`);
    }
    assert.equal((await client.get("/api/me")).status, 200, "the server keeps serving");
  });

  test("on pages are a plain 400; a valid escape is untouched", async () => {
    for (const path of ["/%ZZ", "/account/%E0%A4%A"]) {
      const res = await rawRequest(server.url, "GET", path);
      assert.equal(res.status, 400, `${path} → ${res.status}`);
      assert.match(String(res.headers["content-type"]), /^text\/plain/);
    }
    assertRawError(await rawRequest(server.url, "GET", "/api/caf%C3%A9"), 404, "not_found", "a valid escape reaches the router");
  });
});

describe("trailing slashes", () => {
  test("on /api are answered in JSON, by the route itself or the 404, never Next's text 308", async () => {
    const { client } = await registered(server.url);
    assertError(await client.get("/api/nope/"), 404, "not_found");
    assertError(await client.get("/api/"), 404, "not_found");
    const me = await client.get("/api/me/");
    assert.equal(me.status, 200, JSON.stringify(me.data));
    assert.equal(me.headers.get("cache-control"), "no-store");
    const refreshed = await client.post("/api/auth/refresh/");
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.data));
    assert.equal(refreshed.headers.get("cache-control"), "no-store");
  });

  test("a repeated slash under /api is the JSON 404, not Next's text 308 to the collapsed path", async () => {
    const { client } = await registered(server.url);
    for (const path of ["/api//me", "/api/auth//refresh", "/api/me//"]) {
      assertRawError(await rawRequest(server.url, "GET", path, { headers: { cookie: client.cookieHeader("/api/auth/") } }), 404, "not_found", path);
    }
    // A query may hold "//" (a URL in a parameter): only the path counts.
    assert.equal((await client.get("/api/me?from=https://example.com/")).status, 200);
  });

  test("on pages still send people to the path without it, query kept, never off-site", async () => {
    const cases: [string, string][] = [
      ["/account/", "/account"],
      ["/login/?next=%2Faccount", "/login?next=%2Faccount"],
      ["//evil.example/", "/evil.example/"], // Next's repeated-slash fix comes first: a same-site path
    ];
    for (const [path, location] of cases) {
      const res = await rawRequest(server.url, "GET", path);
      assert.equal(res.status, 308, `${path} → ${res.status}`);
      assert.equal(res.headers.location, location, path);
    }
  });
});
