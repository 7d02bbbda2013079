import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, uniqueEmail, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

async function signIn(email: string, password = PASSWORD) {
  const client = new Client(server.url);
  const res = await client.post("/api/auth/login", { email, password });
  assert.equal(res.status, 200);
  return client;
}

describe("PUT /api/account/password", () => {
  test("needs the current password; revokes every OTHER session; keeps this one", async () => {
    const { client, email } = await registered(server.url);
    const laptop = await signIn(email);
    const wrong = await client.put("/api/account/password", { currentPassword: "not it at all", newPassword: "a brand new password" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.data.error, "invalid_credentials");

    const changed = await client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "a brand new password" });
    assert.equal(changed.status, 204);
    assert.equal((await client.get("/api/me")).status, 200, "the caller stays signed in");
    const other = await laptop.get("/api/me");
    assert.equal(other.status, 401);
    assert.equal(other.data.error, "token_revoked", "refused on the very next request");
    assert.equal((await laptop.post("/api/auth/refresh")).data.error, "token_revoked");

    assert.equal((await new Client(server.url).post("/api/auth/login", { email, password: PASSWORD })).status, 401);
    await signIn(email, "a brand new password");
  });

  test("validates the new password", async () => {
    const { client } = await registered(server.url);
    const res = await client.put("/api/account/password", { currentPassword: PASSWORD, newPassword: "short" });
    assert.equal(res.status, 400);
    assert.ok(res.data.fields.newPassword);
  });
});

describe("PUT /api/account/email", () => {
  test("needs a fresh token, then answers 202 (the change waits for the new address's link); a taken address is 409", async () => {
    const { client } = await registered(server.url);
    const taken = await registered(server.url);
    const newEmail = uniqueEmail("moved");
    await client.post("/api/auth/refresh"); // now not fresh
    const refused = await client.put("/api/account/email", { email: newEmail });
    assert.equal(refused.status, 401);
    assert.equal(refused.data.error, "fresh_token_required");
    assert.equal(refused.data.maxAge, 600);

    assert.equal((await client.post("/api/auth/fresh-login", { password: PASSWORD })).status, 200);
    const clash = await client.put("/api/account/email", { email: taken.email.toUpperCase() });
    assert.equal(clash.status, 409);
    assert.equal(clash.data.error, "email_taken");
    const moved = await client.put("/api/account/email", { email: ` ${newEmail.toUpperCase()} ` });
    assert.equal(moved.status, 202);
    assert.deepEqual(moved.data, { pendingEmail: newEmail });
    // The rest of the journey, through a real mail: tests/http/verified-email.test.ts.
  });
});

describe("DELETE /api/account", () => {
  test("removes the user and every session on every device", async () => {
    const { client, email, user } = await registered(server.url);
    const phone = await signIn(email);
    const deleted = await client.delete("/api/account");
    assert.equal(deleted.status, 204);
    const res = await phone.get("/api/me");
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "token_revoked");
    assert.equal((await phone.post("/api/auth/refresh")).data.error, "token_revoked");
    // The address is free again, for a brand-new account with a new id.
    const again = await registered(server.url, email);
    assert.notEqual(again.user.id, user.id, "ids are never reused");
  });
});
