import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SECRET_A, SECRET_B, setTestEnv, throwsWith, rejectsWith } from "../test-utils";

setTestEnv();

let csrf: typeof import("./csrf");
let config: typeof import("../config");
let keys: typeof import("./keys");

before(async () => {
  config = await import("../config");
  keys = await import("./keys");
  csrf = await import("./csrf");
});

function reconfigure(env: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  config.resetConfigForTests();
  keys.resetKeysForTests();
}

const post = (headers: Record<string, string> = {}, url = "http://localhost:3000/api/x") => new Request(url, { method: "POST", headers });

const passes = (headers: Record<string, string>, url?: string) => assert.doesNotThrow(() => csrf.assertSameOrigin(post(headers, url)));
const refused = (headers: Record<string, string>, url?: string) => throwsWith(() => csrf.assertSameOrigin(post(headers, url)), "csrf_failed");

describe("assertSameOrigin without APP_URL", () => {
  before(() => reconfigure({ APP_URL: undefined }));

  test("an Origin equal to the request's host passes", () => {
    passes({ origin: "http://localhost:3000" });
    passes({ origin: "http://localhost:3000", "sec-fetch-site": "same-origin" });
  });

  test("the Host header names the app's host (behind a proxy the URL's may differ)", () => {
    passes({ host: "app.example.com", origin: "http://app.example.com" });
    refused({ host: "app.example.com", origin: "http://localhost:3000" });
  });

  test("the request's scheme is part of the origin (Next puts X-Forwarded-Proto's into request.url)", () => {
    refused({ host: "app.example.com", origin: "https://app.example.com" });
    passes({ host: "app.example.com", origin: "https://app.example.com" }, "https://localhost:3000/api/x");
    refused({ host: "app.example.com", origin: "http://app.example.com" }, "https://localhost:3000/api/x");
    passes({ host: "app.example.com:443", origin: "https://app.example.com" }, "https://localhost:3000/api/x");
  });

  test("another origin is refused", () => {
    for (const origin of ["http://evil.com", "http://localhost:3001", "http://localhost", "http://localhost:3000.evil.com", "http://evil.com:3000"]) {
      refused({ origin });
    }
  });

  test('Origin "null" is refused', () => {
    refused({ origin: "null" });
  });

  test("a malformed Origin is refused", () => {
    for (const origin of ["localhost:3000", "not a url", "http://", "//localhost:3000", ""]) {
      refused({ origin });
    }
  });

  test("Sec-Fetch-Site same-origin and none pass", () => {
    passes({ "sec-fetch-site": "same-origin" });
    passes({ "sec-fetch-site": "none" });
  });

  test("Sec-Fetch-Site same-site and cross-site are refused, whatever the Origin says", () => {
    refused({ "sec-fetch-site": "same-site" });
    refused({ "sec-fetch-site": "cross-site" });
    refused({ "sec-fetch-site": "cross-site", origin: "http://localhost:3000" });
  });

  test("a same-origin Sec-Fetch-Site does not excuse a foreign Origin", () => {
    refused({ "sec-fetch-site": "same-origin", origin: "http://evil.com" });
  });

  test("a request with neither header passes (judged by the CSRF token alone)", () => {
    passes({});
  });
});

describe("assertSameOrigin with APP_URL", () => {
  before(() => reconfigure({ APP_URL: "https://app.example.com" }));
  after(() => reconfigure({ APP_URL: undefined }));

  test("only APP_URL's origin passes", () => {
    passes({ origin: "https://app.example.com" });
    refused({ origin: "http://localhost:3000" });
    refused({ origin: "http://app.example.com" });
    refused({ origin: "https://app.example.com:8443" });
    refused({ origin: "https://evil.example.com" });
  });

  test("the Host header no longer decides", () => {
    refused({ host: "evil.com", origin: "https://evil.com" });
  });
});

describe("isUnsafeMethod", () => {
  test("POST, PUT, PATCH and DELETE are unsafe, in any case", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "post", "Delete"]) assert.equal(csrf.isUnsafeMethod(method), true, method);
    for (const method of ["GET", "HEAD", "OPTIONS"]) assert.equal(csrf.isUnsafeMethod(method), false, method);
  });
});

describe("assertCsrfToken", () => {
  before(() => reconfigure({ AUTH_SECRET: SECRET_A, AUTH_PREVIOUS_SECRETS: undefined }));

  const withToken = (value?: string) => post(value === undefined ? {} : { "x-csrf-token": value });

  test("the session's HMAC passes", async () => {
    const value = await csrf.csrfTokenFor("session-1");
    await csrf.assertCsrfToken(withToken(value), "session-1");
  });

  test("the value is bound to the session and is not the session id", async () => {
    const a = await csrf.csrfTokenFor("session-1");
    assert.equal(await csrf.csrfTokenFor("session-1"), a);
    assert.notEqual(await csrf.csrfTokenFor("session-2"), a);
    assert.ok(!a.includes("session-1"));
  });

  test("a missing, empty or wrong value fails with csrf_failed", async () => {
    const value = await csrf.csrfTokenFor("session-1");
    await rejectsWith(csrf.assertCsrfToken(withToken(), "session-1"), "csrf_failed");
    await rejectsWith(csrf.assertCsrfToken(withToken(""), "session-1"), "csrf_failed");
    await rejectsWith(csrf.assertCsrfToken(withToken("wrong"), "session-1"), "csrf_failed");
    await rejectsWith(csrf.assertCsrfToken(withToken(value.slice(0, -1)), "session-1"), "csrf_failed");
    await rejectsWith(csrf.assertCsrfToken(withToken(`${value}x`), "session-1"), "csrf_failed");
    await rejectsWith(csrf.assertCsrfToken(withToken("session-1"), "session-1"), "csrf_failed");
  });

  test("another session's value fails", async () => {
    const other = await csrf.csrfTokenFor("session-2");
    await rejectsWith(csrf.assertCsrfToken(withToken(other), "session-1"), "csrf_failed");
  });

  test("a value made under a previous secret passes during rotation, and not after", async () => {
    reconfigure({ AUTH_SECRET: SECRET_A, AUTH_PREVIOUS_SECRETS: undefined });
    const underA = await csrf.csrfTokenFor("session-1");

    reconfigure({ AUTH_SECRET: SECRET_B, AUTH_PREVIOUS_SECRETS: SECRET_A });
    await csrf.assertCsrfToken(withToken(underA), "session-1");
    const underB = await csrf.csrfTokenFor("session-1");
    assert.notEqual(underB, underA);
    await csrf.assertCsrfToken(withToken(underB), "session-1");

    reconfigure({ AUTH_SECRET: SECRET_B, AUTH_PREVIOUS_SECRETS: undefined });
    await rejectsWith(csrf.assertCsrfToken(withToken(underA), "session-1"), "csrf_failed");
    await csrf.assertCsrfToken(withToken(underB), "session-1");
  });
});
