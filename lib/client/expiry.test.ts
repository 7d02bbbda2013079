import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApiClient } from "./api";
import { apiError, createBrowser, createTab, json, sessionAnswer, type Call } from "./test-env";

const TTL = 5_000;

/** A server on its own clock: access tokens live TTL ms; expired ones get token_expired. */
function clockedServer(browser: ReturnType<typeof createBrowser>, serverOffsetMs = 0) {
  let expiresAt = 0;
  const serverNow = () => browser.now() + serverOffsetMs;
  const issue = (extra: object = {}) => {
    expiresAt = serverNow() + TTL;
    return sessionAnswer(serverNow(), TTL, extra);
  };
  return {
    issue,
    handler: (call: Call) => {
      if (call.path === "/api/auth/login" || call.path === "/api/auth/refresh") return issue();
      if (call.path === "/api/auth/logout") return new Response(null, { status: 204 });
      if (call.path === "/api/account/password") {
        // New (fresh) token cookies with a 204: the client cannot see their expiry.
        issue();
        return new Response(null, { status: 204 });
      }
      return serverNow() < expiresAt ? json(200, { path: call.path }) : apiError(401, "token_expired");
    },
  };
}

describe("known expiry", () => {
  it("refreshes before sending a request whose token it knows has expired: one extra round trip", async () => {
    const browser = createBrowser();
    const server = clockedServer(browser);
    const tab = createTab(server.handler, browser);
    const api = createApiClient(tab.env);
    await api.post("/api/auth/login", {}, { auth: "public" });
    browser.advance(TTL + 1_500);
    await api.patch("/api/me", { name: "A" });
    assert.deepEqual(tab.calls.slice(1).map((c) => c.path), ["/api/auth/refresh", "/api/me"]);
  });

  it("forgets the old expiry when a password change re-issues the tokens, so their freshness is not refreshed away", async () => {
    const browser = createBrowser();
    const server = clockedServer(browser);
    const tab = createTab(server.handler, browser);
    const api = createApiClient(tab.env);
    await api.post("/api/auth/login", {}, { auth: "public" });
    browser.advance(TTL - 1_000);
    await api.put("/api/account/password", { currentPassword: "a", newPassword: "b" });
    browser.advance(2_000); // past the OLD token's expiry, well within the new one's
    await api.put("/api/account/email", { email: "new@example.com" });
    assert.deepEqual(tab.calls.slice(1).map((c) => c.path), ["/api/account/password", "/api/account/email"], "no refresh in between");
  });

  it("shares that refresh between concurrent requests", async () => {
    const browser = createBrowser();
    const server = clockedServer(browser);
    const tab = createTab(server.handler, browser);
    const api = createApiClient(tab.env);
    await api.post("/api/auth/login", {}, { auth: "public" });
    browser.advance(TTL + 1_500);
    await Promise.all([api.get("/api/me"), api.get("/api/sessions"), api.get("/api/me")]);
    assert.equal(tab.count("/api/auth/refresh"), 1);
    assert.equal(tab.calls.length, 1 + 1 + 3);
  });

  it("anchors the expiry to the server's Date header, so a wrong local clock changes nothing", async () => {
    const browser = createBrowser();
    const server = clockedServer(browser, -3_600_000); // this machine runs an hour fast
    const tab = createTab(server.handler, browser);
    const api = createApiClient(tab.env);
    await api.post("/api/auth/login", {}, { auth: "public" });
    browser.advance(2_000);
    await api.get("/api/me");
    assert.equal(tab.count("/api/auth/refresh"), 0, "a valid token is not refreshed early");
    browser.advance(TTL);
    await api.get("/api/me");
    assert.deepEqual(tab.calls.slice(-2).map((c) => c.path), ["/api/auth/refresh", "/api/me"]);
  });

  it("does not let an answer to an older request move the expiry backwards", async () => {
    const browser = createBrowser();
    const tab = createTab((call) => (call.path === "/api/me" ? sessionAnswer(browser.now(), 1_000) : sessionAnswer(browser.now(), TTL)), browser);
    const api = createApiClient(tab.env);
    await api.post("/api/auth/login", {}, { auth: "public" });
    const learned = browser.clock.expiresAt();
    await api.get("/api/me"); // says the token dies in 1 s: older news
    assert.equal(browser.clock.expiresAt(), learned);
  });

  it("forgets the expiry on sign-out, so a new session starts clean", async () => {
    const browser = createBrowser();
    const tab = createTab(clockedServer(browser).handler, browser);
    const api = createApiClient(tab.env);
    await api.post("/api/auth/login", {}, { auth: "public" });
    assert.notEqual(browser.clock.expiresAt(), null);
    await api.post("/api/auth/logout", undefined, { auth: "public" });
    assert.equal(browser.clock.expiresAt(), null);
  });

  it("takes a server-rendered page's expiry relative to the server's clock", () => {
    const browser = createBrowser();
    const api = createApiClient(createTab(() => json(200, {}), browser).env);
    api.noteAccessExpiry("2030-01-01T00:00:10.000Z", "2030-01-01T00:00:00.000Z");
    assert.equal(browser.clock.expiresAt(), browser.now() + 10_000);
  });
});
