import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApiClient } from "./api";
import { apiError, createBrowser, createTab, json, SESSION, tick, type Call } from "./test-env";

/** One server for the whole browser: sensitive routes need the fresh-login first. */
function sharedServer() {
  let fresh = false;
  return (call: Call) => {
    if (call.path === "/api/auth/fresh-login") {
      fresh = true;
      return json(200, { session: { ...SESSION, fresh: true } });
    }
    if (!fresh) return apiError(401, "fresh_token_required", { maxAge: 600, level: "any", methods: ["password"] });
    return json(200, { body: call.body });
  };
}

describe("tabs in step", () => {
  it("one confirmation closes the dialog in every tab and replays each tab's waiting request", async () => {
    const browser = createBrowser();
    const server = sharedServer();
    const one = createTab(server, browser);
    const two = createTab(server, browser);
    const apiOne = createApiClient(one.env);
    const apiTwo = createApiClient(two.env);
    let closedInTwo = false;
    apiOne.setReauthHandler(() => apiOne.freshLogin("right").then(() => undefined));
    // Tab two's dialog never confirms by itself: it only closes when told.
    apiTwo.setReauthHandler(
      (_refusal, confirmedElsewhere) =>
        new Promise<void>(() => confirmedElsewhere.addEventListener("abort", () => void (closedInTwo = true))),
    );
    const waitingInTwo = apiTwo.put("/api/account/email", { email: "two@example.com" });
    await tick();
    const fromOne = await apiOne.put("/api/account/email", { email: "one@example.com" });
    assert.deepEqual(fromOne, { body: '{"email":"one@example.com"}' });
    assert.deepEqual(await waitingInTwo, { body: '{"email":"two@example.com"}' });
    assert.equal(closedInTwo, true);
    assert.equal(one.count("/api/auth/fresh-login") + two.count("/api/auth/fresh-login"), 1);
  });

  it("a request overtaken by a confirmation elsewhere is retried without asking again", async () => {
    const browser = createBrowser();
    let answerLate!: () => void;
    let fresh = false;
    let deletes = 0;
    const late = new Promise<void>((resolve) => (answerLate = resolve));
    const server = async (call: Call) => {
      if (call.path === "/api/auth/fresh-login") return ((fresh = true), json(200, { session: { ...SESSION, fresh: true } }));
      if (deletes++ === 0) {
        await late; // sent before the confirmation, answered after it
        return apiError(401, "fresh_token_required", { maxAge: 600 });
      }
      return fresh ? new Response(null, { status: 204 }) : apiError(401, "fresh_token_required", { maxAge: 600 });
    };
    const one = createTab(server, browser);
    const two = createTab(server, browser);
    const apiOne = createApiClient(one.env);
    const apiTwo = createApiClient(two.env);
    let askedInTwo = 0;
    apiTwo.setReauthHandler(async () => void askedInTwo++);
    const pending = apiTwo.delete("/api/account");
    await tick();
    await apiOne.freshLogin("right");
    answerLate();
    await pending;
    assert.equal(askedInTwo, 0, "the dialog never opened in tab two");
    assert.equal(two.count("/api/account"), 2);
  });

  it("a session found ended sends this tab to /login saying why, and tells the other tabs", async () => {
    const browser = createBrowser();
    const server = (call: Call) => (call.path === "/api/auth/refresh" ? apiError(401, "token_revoked") : apiError(401, "token_expired"));
    const one = createTab(server, browser);
    const two = createTab(server, browser);
    const apiOne = createApiClient(one.env);
    const apiTwo = createApiClient(two.env);
    const stop = apiTwo.followOtherTabs();
    await assert.rejects(apiOne.get("/api/me"));
    assert.deepEqual(one.reasons, ["ended"]);
    assert.deepEqual(two.reasons, ["ended"], "the other tab leaves at once, without a request");
    assert.equal(two.calls.length, 0);
    stop();
  });

  it("a sign-out here reaches the other tabs as 'signed out in another tab'", async () => {
    const browser = createBrowser();
    const one = createTab(() => json(200, {}), browser);
    const two = createTab(() => json(200, {}), browser);
    const apiTwo = createApiClient(two.env);
    apiTwo.followOtherTabs();
    await createApiClient(one.env).signOut();
    assert.deepEqual(one.calls.map((call) => `${call.method} ${call.path}`), ["POST /api/auth/logout"]);
    assert.deepEqual(two.reasons, ["other-tab"]);
  });

  it("every response carrying the user is reported with its server time", async () => {
    const tab = createTab(() => json(200, { user: { id: "u1", email: "new@example.com", name: "Ada", emailVerified: true } }, { Date: new Date(2_000_000).toUTCString() }));
    await createApiClient(tab.env).patch("/api/me", { name: "Ada" });
    assert.deepEqual(tab.users, ["new@example.com"]);
  });
});
