import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApiClient } from "./api";
import { ApiError, ReauthCancelledError } from "./errors";
import { apiError, createBrowser, createTab, json, SESSION, tick, type Call } from "./test-env";

/** Sensitive routes answer fresh_token_required until fresh-login succeeds with "right". */
function freshServer(options: { freshLoginExpiredOnce?: boolean } = {}) {
  let fresh = false;
  let expiredOnce = options.freshLoginExpiredOnce ?? false;
  return (call: Call) => {
    if (call.path === "/api/auth/refresh") return json(200, { session: SESSION });
    if (call.path === "/api/auth/fresh-login") {
      if (expiredOnce) return ((expiredOnce = false), apiError(401, "token_expired"));
      if (JSON.parse(call.body ?? "{}").password !== "right") return apiError(401, "invalid_credentials");
      fresh = true;
      return json(200, { session: { ...SESSION, fresh: true } });
    }
    if (!fresh) return apiError(401, "fresh_token_required", { maxAge: 600 });
    return call.method === "DELETE" ? new Response(null, { status: 204 }) : json(200, { method: call.method, body: call.body });
  };
}

describe("re-login dialog", () => {
  it("opens once for many waiting requests and replays each with its method and body", async () => {
    const tab = createTab(freshServer());
    const api = createApiClient(tab.env);
    let opened = 0;
    api.setReauthHandler(async () => {
      opened++;
      await assert.rejects(api.freshLogin("wrong"), (e: unknown) => e instanceof ApiError && e.code === "invalid_credentials");
      await api.freshLogin("right");
    });
    const [email, removed] = await Promise.all([api.put("/api/account/email", { email: "new@example.com" }), api.delete("/api/account")]);
    assert.equal(opened, 1);
    assert.deepEqual(email, { method: "PUT", body: '{"email":"new@example.com"}' });
    assert.equal(removed, undefined);
    assert.equal(tab.count("/api/auth/refresh"), 0, "fresh_token_required never triggers a refresh");
    assert.equal(tab.count("/api/account/email"), 2);
    assert.equal(tab.calls.filter((c) => c.path === "/api/account/email")[1].headers["X-CSRF-Token"], "csrf-value");
    assert.deepEqual(tab.events.map((e) => e.kind), ["re-verified"]);
  });

  it("rejects every waiting request with ReauthCancelledError on Cancel, and replays none", async () => {
    const tab = createTab(freshServer());
    const api = createApiClient(tab.env);
    let cancel!: () => void;
    api.setReauthHandler(() => new Promise<void>((_, reject) => (cancel = () => reject(new ReauthCancelledError()))));
    const waiting = Promise.allSettled([api.delete("/api/account"), api.put("/api/account/email", { email: "x@y.z" })]);
    await tick();
    cancel();
    const results = await waiting;
    assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof ReauthCancelledError));
    assert.equal(tab.calls.length, 2);
    assert.equal(tab.logins(), 0, "cancelling is not signing out");
  });

  it("opens a new dialog for a later request after a cancel", async () => {
    const tab = createTab(freshServer());
    const api = createApiClient(tab.env);
    let opened = 0;
    api.setReauthHandler(async () => {
      opened++;
      if (opened === 1) throw new ReauthCancelledError();
      await api.freshLogin("right");
    });
    await assert.rejects(api.delete("/api/account"), ReauthCancelledError);
    await api.delete("/api/account");
    assert.equal(opened, 2);
  });

  it("refreshes when fresh-login itself meets an expired token, then retries it", async () => {
    const tab = createTab(freshServer({ freshLoginExpiredOnce: true }));
    const api = createApiClient(tab.env);
    await api.freshLogin("right");
    assert.equal(tab.count("/api/auth/refresh"), 1);
    assert.equal(tab.count("/api/auth/fresh-login"), 2);
  });

  it("never opens the dialog for fresh-login's own answers, nor without a registered dialog", async () => {
    const tab = createTab(() => apiError(401, "fresh_token_required"));
    const api = createApiClient(tab.env);
    await assert.rejects(api.delete("/api/account"), (e: unknown) => e instanceof ApiError && e.code === "fresh_token_required" && e.maxAge === undefined);
    let opened = 0;
    const unregister = api.setReauthHandler(async () => void opened++);
    await assert.rejects(api.freshLogin("right"), ApiError);
    assert.equal(opened, 0);
    unregister();
  });

  it("holds the token lock during a password change too (its 204 re-issues a fresh token)", async () => {
    const browser = createBrowser();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let fresh = false;
    const server = async (call: Call) => {
      if (call.path === "/api/account/password") {
        await gate;
        fresh = true;
        return new Response(null, { status: 204 });
      }
      if (call.path === "/api/auth/refresh") return ((fresh = false), json(200, { session: SESSION }));
      return fresh ? json(200, { fresh }) : apiError(401, "token_expired");
    };
    const one = createTab(server, browser);
    const two = createTab(server, browser);
    const changing = createApiClient(one.env).changePassword("old password", "new password");
    await tick();
    assert.ok(browser.isLocked(), "the password change runs under the lock");
    const reading = createApiClient(two.env).get("/api/me");
    await tick();
    release();
    await changing;
    assert.deepEqual(await reading, { fresh: true });
    assert.equal(two.count("/api/auth/refresh"), 0, "the waiting refresh saw the new generation and stood down");
  });

  it("holds the token lock during fresh-login, so a refresh waiting on it cannot overwrite the fresh token", async () => {
    const browser = createBrowser();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let fresh = false;
    const server = async (call: Call) => {
      if (call.path === "/api/auth/fresh-login") {
        await gate;
        fresh = true;
        return json(200, { session: { ...SESSION, fresh: true } });
      }
      if (call.path === "/api/auth/refresh") return ((fresh = false), json(200, { session: SESSION }));
      return fresh ? json(200, { fresh }) : apiError(401, "token_expired");
    };
    const one = createTab(server, browser);
    const two = createTab(server, browser);
    const confirming = createApiClient(one.env).freshLogin("right");
    await tick();
    assert.ok(browser.isLocked(), "fresh-login runs under the lock");
    const reading = createApiClient(two.env).get("/api/me"); // expired: wants a refresh
    await tick();
    release();
    await confirming;
    assert.deepEqual(await reading, { fresh: true });
    assert.equal(two.count("/api/auth/refresh"), 0, "the waiting refresh saw the new generation and stood down");
  });

  it("survives a StrictMode double mount: the last registered dialog answers, a stale cleanup removes nothing", async () => {
    const tab = createTab(freshServer());
    const api = createApiClient(tab.env);
    const first = api.setReauthHandler(async () => assert.fail("unmounted dialog used"));
    first(); // StrictMode: effect, cleanup, effect again
    const second: string[] = [];
    api.setReauthHandler(async () => {
      second.push("open");
      await api.freshLogin("right");
    });
    first(); // a late cleanup of the first mount must not unregister the second
    await api.delete("/api/account");
    assert.deepEqual(second, ["open"]);
  });
});
