import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createApiClient } from "./api";
import { readCsrfCookie } from "./browser-env";
import { ApiError, NetworkError, SessionEndedError } from "./errors";
import { apiError, createBrowser, createTab, json, SESSION, type Call } from "./test-env";

/** A server whose access token is expired until /api/auth/refresh has been called. */
function expiringServer(onRefresh: (call: Call) => Response = () => json(200, { session: SESSION })) {
  let fresh = false;
  return (call: Call) => {
    if (call.path === "/api/auth/refresh") {
      const response = onRefresh(call);
      if (response.ok) fresh = true;
      return response;
    }
    return fresh ? json(200, { path: call.path, body: call.body ?? null }) : apiError(401, "token_expired");
  };
}

describe("CSRF", () => {
  it("sends X-CSRF-Token on unsafe methods only", async () => {
    const tab = createTab(() => json(200, {}));
    const api = createApiClient(tab.env);
    await api.get("/api/me");
    await api.patch("/api/me", { name: "A" });
    assert.equal(tab.calls[0].headers["X-CSRF-Token"], undefined);
    assert.equal(tab.calls[1].headers["X-CSRF-Token"], "csrf-value");
  });

  it("reads the plain and the __Host- cookie", () => {
    assert.equal(readCsrfCookie("a=1; csrf_token=abc%3D", false), "abc=");
    assert.equal(readCsrfCookie("__Host-csrf_token=xyz; b=2", true), "xyz");
    assert.equal(readCsrfCookie("not_csrf_token=no", false), undefined);
    // Over https only the prefixed name counts: a plain one was planted (issue 10, item 3).
    assert.equal(readCsrfCookie("csrf_token=planted; __Host-csrf_token=real", true), "real");
    assert.equal(readCsrfCookie("csrf_token=planted", true), undefined);
    assert.equal(readCsrfCookie("__Host-csrf_token=real", false), undefined);
    // Two of the exact name cannot be told apart: neither is sent.
    assert.equal(readCsrfCookie("csrf_token=planted; csrf_token=real", false), undefined);
  });
});

describe("silent refresh", () => {
  it("runs one refresh for many concurrent requests, then retries each once", async () => {
    const tab = createTab(expiringServer());
    const api = createApiClient(tab.env);
    const results = await Promise.all([api.get("/api/me"), api.get("/api/sessions"), api.patch("/api/me", { name: "B" })]);
    assert.equal(tab.count("/api/auth/refresh"), 1);
    assert.equal(tab.calls.length, 7);
    assert.deepEqual(results[2], { path: "/api/me", body: '{"name":"B"}' });
    assert.equal(tab.calls.find((c) => c.path === "/api/auth/refresh")?.headers["X-CSRF-Token"], "csrf-value");
    assert.deepEqual(tab.events.map((e) => e.kind), ["refreshed"]);
  });

  it("shares one refresh between two tabs of the same browser", async () => {
    const browser = createBrowser();
    const server = expiringServer();
    const one = createTab(server, browser);
    const two = createTab(server, browser);
    await Promise.all([createApiClient(one.env).get("/api/me"), createApiClient(two.env).get("/api/me")]);
    assert.equal(one.count("/api/auth/refresh") + two.count("/api/auth/refresh"), 1);
  });

  it("does not refresh again for a late answer to a request sent before the last refresh", async () => {
    const tab = createTab(expiringServer());
    const api = createApiClient(tab.env);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The server answers at once (token_expired), but the answer arrives late.
    const slow = createApiClient({ ...tab.env, fetch: async (input, init) => { const answer = await tab.env.fetch(input, init); await gate; return answer; } });
    const late = slow.get("/api/sessions");
    await api.get("/api/me"); // refreshes meanwhile: generation 0 → 1
    release();
    assert.deepEqual(await late, { path: "/api/sessions", body: null });
    assert.equal(tab.count("/api/auth/refresh"), 1);
  });

  it("never recurses when the refresh itself answers 401", async () => {
    const tab = createTab(expiringServer(() => apiError(401, "token_expired")));
    const api = createApiClient(tab.env);
    await assert.rejects(Promise.all([api.get("/api/me"), api.get("/api/sessions")]), SessionEndedError);
    assert.equal(tab.count("/api/auth/refresh"), 1);
    assert.equal(tab.logins(), 1);
  });

  it("retries a request only once when it stays expired", async () => {
    const tab = createTab((call) => (call.path === "/api/auth/refresh" ? json(200, { session: SESSION }) : apiError(401, "token_expired")));
    await assert.rejects(createApiClient(tab.env).get("/api/me"), (e: unknown) => e instanceof ApiError && e.code === "token_expired");
    assert.equal(tab.count("/api/me"), 2);
    assert.equal(tab.count("/api/auth/refresh"), 1);
  });
});

describe("network errors", () => {
  it("reports a failed request as NetworkError and stays signed in", async () => {
    const tab = createTab(() => Promise.reject(new TypeError("Failed to fetch")));
    await assert.rejects(createApiClient(tab.env).get("/api/me"), NetworkError);
    assert.equal(tab.logins(), 0);
  });

  it("reports a failed refresh as NetworkError, not as a sign-out", async () => {
    const tab = createTab(expiringServer(() => {
      throw new TypeError("Failed to fetch");
    }));
    await assert.rejects(createApiClient(tab.env).get("/api/me"), NetworkError);
    assert.equal(tab.logins(), 0);
  });
});

describe("signed out", () => {
  it("sends the user to /login when the session is revoked", async () => {
    const tab = createTab(() => apiError(401, "token_revoked"));
    await assert.rejects(createApiClient(tab.env).get("/api/me"), ApiError);
    assert.equal(tab.logins(), 1);
  });

  it("leaves public calls (login) to the form", async () => {
    const tab = createTab(() => apiError(401, "invalid_credentials"));
    await assert.rejects(createApiClient(tab.env).post("/api/auth/login", {}, { auth: "public" }), ApiError);
    assert.equal(tab.logins(), 0);
    assert.equal(tab.count("/api/auth/refresh"), 0);
  });
});

describe("error bodies", () => {
  it("rebuilds fields, maxAge and Retry-After", async () => {
    const tab = createTab((call) =>
      call.path === "/a" ? apiError(400, "invalid_request", { fields: { email: "Bad" } }) : apiError(429, "rate_limited", {}),
    );
    const api = createApiClient(tab.env);
    await assert.rejects(api.get("/a"), (e: unknown) => e instanceof ApiError && e.fields?.email === "Bad" && e.status === 400);
    const limited = createTab(() => json(429, { error: "rate_limited", description: "x" }, { "Retry-After": "90" }));
    await assert.rejects(createApiClient(limited.env).get("/b"), (e: unknown) => e instanceof ApiError && e.retryAfter === 90);
  });

  it("turns a non-JSON 502 into service_unavailable", async () => {
    const tab = createTab(() => new Response("<html>Bad gateway</html>", { status: 502 }));
    await assert.rejects(createApiClient(tab.env).get("/api/me"), (e: unknown) => e instanceof ApiError && e.code === "service_unavailable");
  });
});
