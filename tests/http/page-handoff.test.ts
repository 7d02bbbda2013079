// Full page loads with an expired access token (decision 301): signed-in
// pages renew on the way, and so do /login and /register, which must never
// offer a sign-in form for a session the browser still has.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, registered, sleep, startServer, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer({ AUTH_ACCESS_TTL: "2s" });
});
after(() => server?.stop());

const navigate = { accept: "text/html" };

describe("page loads after the access token expired", () => {
  for (const page of ["/login?next=%2Faccount", "/register?next=%2Faccount"]) {
    test(`${page.split("?")[0]} renews the live session and goes on to next`, async () => {
      const { client } = await registered(server.url);
      await sleep(2300);
      const res = await client.get(page, { headers: navigate });
      assert.equal(res.status, 307, `${res.status}`);
      // Which hand-off depends on Sec-Fetch-Mode, which Node's fetch always sets to "cors"
      // (a client-side navigation to the server): either renews, neither shows a form.
      assert.match(res.headers.get("location") ?? "", /^\/(api\/auth\/)?resume\?next=%2Faccount$/);

      const resumed = await client.navigate("/api/auth/resume?next=%2Faccount");
      assert.equal(resumed.status, 303);
      assert.equal(resumed.headers.get("location"), "/account");
      assert.equal((await client.get("/api/me")).status, 200, "signed in again, no password asked");
    });
  }

  test("a signed-out browser, or one whose session was revoked, gets the form", async () => {
    const { client } = await registered(server.url);
    assert.equal((await client.post("/api/auth/logout")).status, 204);
    const res = await client.get("/login", { headers: navigate });
    assert.equal(res.status, 200);
    assert.match(String(res.data), /Sign in/);
  });

  test("a session ended elsewhere: the hand-off tells /login why, in a short-lived cookie for that page only", async () => {
    const { client, email, password } = await registered(server.url);
    const elsewhere = new Client(server.url);
    assert.equal((await elsewhere.post("/api/auth/login", { email, password })).status, 200);
    assert.equal((await elsewhere.delete("/api/sessions")).status, 204);
    // A top-level navigation (decision 620: only those rotate, or are refused).
    const res = await client.navigate("/api/auth/resume?next=%2Faccount");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/login?next=%2Faccount");
    const reason = res.setCookies.find((line) => line.startsWith("fresh-auth-signed-out="));
    assert.ok(reason, res.setCookies.join("\n"));
    assert.match(reason, /^fresh-auth-signed-out=ended; Path=\/login; Max-Age=60; SameSite=Lax$/);
  });

  test("while signed in, /login goes straight to next", async () => {
    const { client } = await registered(server.url);
    const res = await client.get("/login?next=%2Faccount", { headers: navigate });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get("location"), "/account");
  });
});
