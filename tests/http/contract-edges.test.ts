// The contract at the edges a browser rarely reaches but a scanner does:
// OPTIONS, malformed percent-escapes, trailing slashes, and bodies on routes
// that read none (chunked, or declared on GET). Raw node:http where fetch
// would refuse or rewrite the request.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertError } from "../security/helpers";
import { Client, startServer, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

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
