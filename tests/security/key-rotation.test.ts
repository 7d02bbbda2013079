// Item 3 — rolling AUTH_SECRET, exactly as docs/security.md and docs/deploy.md
// describe it. Three servers on one database stand for the three steps of the
// procedure, side by side as they are during a rolling deploy:
//   step 1: AUTH_SECRET=OLD, AUTH_PREVIOUS_SECRETS=NEW  (accept NEW before anyone signs with it)
//   step 2: AUTH_SECRET=NEW, AUTH_PREVIOUS_SECRETS=OLD  (sign with NEW, still accept OLD)
//   step 3: AUTH_SECRET=NEW                             (OLD retired)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, createTestDatabase, registered, startServer, type TestDatabase, type TestServer } from "../http/harness";
import { assertError, claimsFor, csrfFor, decode, deriveKey, forge, kidOf } from "./helpers";

const OLD = "old-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const NEW = "new-secret-9876543210-zyxwvutsrqponmlkjihgfedcba";

let database: TestDatabase;
let step1: TestServer;
let step2: TestServer;
let step3: TestServer;
before(async () => {
  database = await createTestDatabase();
  [step1, step2, step3] = await Promise.all([
    startServer({ AUTH_SECRET: OLD, AUTH_PREVIOUS_SECRETS: NEW }, database),
    startServer({ AUTH_SECRET: NEW, AUTH_PREVIOUS_SECRETS: OLD }, database),
    startServer({ AUTH_SECRET: NEW }, database),
  ]);
});
after(async () => {
  await Promise.all([step1?.stop(), step2?.stop(), step3?.stop()]);
  await database?.drop();
});

/** The same browser, now reaching another instance. */
function via(client: Client, server: TestServer): Client {
  const moved = new Client(server.url, client.options);
  for (const [name, cookie] of client.cookies) moved.cookies.set(name, { ...cookie });
  return moved;
}

const kid = (token: string | undefined) => decode(token!).header.kid;

describe("rolling AUTH_SECRET", () => {
  test("step 1: instances still signing with OLD already accept tokens signed with NEW", async () => {
    const { client } = await registered(step2.url);
    assert.equal(kid(client.cookie("access_token")), kidOf(NEW));
    const there = via(client, step1);
    assert.equal((await there.get("/api/me")).status, 200);
    assert.equal((await there.patch("/api/me", { name: "renamed on step 1" })).status, 200, "NEW's CSRF value is accepted too");
    assert.equal((await there.post("/api/auth/refresh")).status, 200);
  });

  test("step 2: OLD tokens and CSRF values keep working; every new token carries NEW's kid", async () => {
    const { client } = await registered(step1.url);
    assert.equal(kid(client.cookie("access_token")), kidOf(OLD));
    const oldCsrf = client.cookie("csrf_token");
    const there = via(client, step2);
    assert.equal((await there.get("/api/me")).status, 200, "OLD access token verifies");
    assert.equal((await there.patch("/api/me", { name: "renamed on step 2" })).status, 200, "OLD CSRF value verifies");
    assert.equal((await there.post("/api/auth/refresh")).status, 200, "OLD refresh token rotates");
    assert.equal(kid(there.cookie("access_token")), kidOf(NEW));
    assert.equal(kid(there.cookie("refresh_token")), kidOf(NEW));
    assert.notEqual(there.cookie("csrf_token"), oldCsrf, "the CSRF cookie moves to NEW's key as well");
    assert.equal(there.cookie("csrf_token"), csrfFor(decode(there.cookie("access_token")!).payload.sid, NEW));
  });

  test("step 3: OLD is refused once retired, while sessions that moved over go on", async () => {
    const stayed = await registered(step1.url);
    const moved = via((await registered(step1.url)).client, step2);
    assert.equal((await moved.post("/api/auth/refresh")).status, 200);
    const oldCsrf = csrfFor(decode(moved.cookie("access_token")!).payload.sid, OLD);

    const retired = via(stayed.client, step3);
    assertError(await retired.get("/api/me"), 401, "invalid_token", "OLD access token");
    assertError(await retired.post("/api/auth/refresh"), 401, "invalid_token", "OLD refresh token");

    const after = via(moved, step3);
    assert.equal((await after.get("/api/me")).status, 200);
    assertError(await after.patch("/api/me", { name: "x" }, { headers: { "x-csrf-token": oldCsrf } }), 403, "csrf_failed", "OLD CSRF value");
    assert.equal((await after.patch("/api/me", { name: "x" })).status, 200, "NEW CSRF value");
  });

  test("the kid chooses the key: a token naming one secret but signed with the other is refused", async () => {
    const { client } = await registered(step2.url);
    const claims = claimsFor(decode(client.cookie("access_token")!).payload, "access");
    const mixed = [
      await forge("access", claims, { kid: kidOf(NEW) }, deriveKey("access", OLD)),
      await forge("access", claims, { kid: kidOf(OLD) }, deriveKey("access", NEW)),
    ];
    for (const token of mixed) {
      const attacker = new Client(step2.url);
      attacker.cookies.set("access_token", { value: token, path: "/", attributes: "" });
      assertError(await attacker.get("/api/me"), 401, "invalid_token");
    }
    const control = new Client(step2.url);
    control.cookies.set("access_token", { value: await forge("access", claims, { kid: kidOf(OLD) }, deriveKey("access", OLD)), path: "/", attributes: "" });
    assert.equal((await control.get("/api/me")).status, 200, "control: OLD kid with OLD key");
  });
});
