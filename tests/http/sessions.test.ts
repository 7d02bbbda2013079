import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, PASSWORD, registered, startServer, type TestServer } from "./harness";

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

async function signIn(email: string, userAgent: string) {
  const client = new Client(server.url);
  const res = await client.post("/api/auth/login", { email, password: PASSWORD }, { headers: { "user-agent": userAgent } });
  assert.equal(res.status, 200);
  return { client, sessionId: res.data.session.id as string };
}

describe("/api/sessions", () => {
  test("lists the user's live sessions, the caller's marked current", async () => {
    const { client, email, session } = await registered(server.url);
    const phone = await signIn(email, "Phone Browser");
    const res = await client.get("/api/sessions");
    assert.equal(res.status, 200);
    assert.equal(res.data.sessions.length, 2);
    for (const s of res.data.sessions) {
      assert.deepEqual(Object.keys(s).sort(), ["createdAt", "current", "id", "lastUsedAt", "userAgent"]);
    }
    const mine = res.data.sessions.find((s: any) => s.current);
    assert.equal(mine.id, session.id);
    assert.equal(res.data.sessions.find((s: any) => !s.current).userAgent, "Phone Browser");
    assert.equal(res.data.sessions.find((s: any) => !s.current).id, phone.sessionId);
  });

  test("DELETE /api/sessions/{id} revokes that session at once", async () => {
    const { client, email } = await registered(server.url);
    const phone = await signIn(email, "Phone");
    assert.equal((await client.delete(`/api/sessions/${phone.sessionId}`)).status, 204);
    const res = await phone.client.get("/api/me");
    assert.equal(res.status, 401);
    assert.equal(res.data.error, "token_revoked");
    assert.equal((await client.get("/api/sessions")).data.sessions.length, 1);
    assert.equal((await client.delete(`/api/sessions/${phone.sessionId}`)).status, 404, "already revoked");
  });

  test("another user's session id is not_found and stays alive", async () => {
    const alice = await registered(server.url);
    const bob = await registered(server.url);
    const res = await alice.client.delete(`/api/sessions/${bob.session.id}`);
    assert.equal(res.status, 404);
    assert.equal(res.data.error, "not_found");
    assert.equal((await bob.client.get("/api/me")).status, 200);
  });

  test("DELETE /api/sessions signs out every session but the caller's", async () => {
    const { client, email } = await registered(server.url);
    const a = await signIn(email, "A");
    const b = await signIn(email, "B");
    assert.equal((await client.delete("/api/sessions")).status, 204);
    assert.equal((await a.client.get("/api/me")).data.error, "token_revoked");
    assert.equal((await b.client.post("/api/auth/refresh")).data.error, "token_revoked");
    assert.equal((await client.get("/api/me")).status, 200);
    const list = await client.get("/api/sessions");
    assert.deepEqual(list.data.sessions.map((s: any) => s.current), [true]);
  });

  test("revoking your own session signs you out", async () => {
    const { client, session } = await registered(server.url);
    assert.equal((await client.delete(`/api/sessions/${session.id}`)).status, 204);
    assert.equal(client.cookies.size, 0);
  });
});
